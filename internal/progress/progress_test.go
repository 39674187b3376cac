package progress

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	root := t.TempDir()
	s, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if s.Passed("01-foreign-keys") || s.HintsSeen("07-n-plus-one") != 0 {
		t.Fatal("a fresh start has progress")
	}
	s.SetPassed("01-foreign-keys", true)
	s.SetPassed("04-join-filter", true)
	s.SetPassed("04-join-filter", false)
	s.SetHintSeen("07-n-plus-one", 2)
	s.SetHintSeen("07-n-plus-one", 0)
	s.SetFailing("07-n-plus-one", []string{"report-100-users", "report-1000-users"})
	s.SetHintSeen("04-join-filter", 1)
	s.SetHintSeen("04-join-filter", 0)
	s.SetFailing("04-join-filter", []string{"a"})
	s.SetFailing("04-join-filter", nil)
	s.SetSolutionSeen("04-join-filter")
	if err := s.Save(root); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(File(root))
	if err != nil {
		t.Fatal(err)
	}
	want := "# workbook progress: which lessons passed, which hints you have seen.\n" +
		"# Written by the workbook command; deleting it forgets your progress, nothing else.\n" +
		"passed 01-foreign-keys\nhints 04-join-filter 2\nhints-seen 07-n-plus-one 1 3\n" +
		"failing 07-n-plus-one report-100-users report-1000-users\nsolution-seen 04-join-filter\n"
	if string(data) != want {
		t.Errorf("file =\n%s\nwant:\n%s", data, want)
	}
	back, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Passed("01-foreign-keys") || back.Passed("04-join-filter") || back.HintsSeen("07-n-plus-one") != 2 ||
		back.HintsSeen("04-join-filter") != 2 || !back.HintSeen("04-join-filter", 1) ||
		!back.HintSeen("07-n-plus-one", 0) || back.HintSeen("07-n-plus-one", 1) || !back.HintSeen("07-n-plus-one", 2) ||
		!back.SolutionSeen("04-join-filter") || back.SolutionSeen("01-foreign-keys") {
		t.Errorf("loaded %+v", back)
	}
	if got := back.Failing("07-n-plus-one"); len(got) != 2 || got[0] != "report-100-users" || got[1] != "report-1000-users" {
		t.Errorf("Failing = %q, want [report-100-users report-1000-users]", got)
	}
	if got := back.Failing("04-join-filter"); got != nil {
		t.Errorf("Failing after a pass = %q, want none", got)
	}
}

func TestLoadSkipsWhatItDoesNotKnow(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".workbook"), 0o755)
	os.WriteFile(File(root), []byte("passed 01-x\nhints 07-y lots\nsomething else\nhints 04-z 3\n"), 0o644)
	s, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Passed("01-x") || s.HintsSeen("07-y") != 0 || s.HintsSeen("04-z") != 3 || !s.HintSeen("04-z", 2) || s.HintSeen("04-z", 3) {
		t.Errorf("loaded %+v", s)
	}
}
