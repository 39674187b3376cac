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
	s.SetHintsSeen("07-n-plus-one", 2)
	s.SetSolutionSeen("04-join-filter")
	if err := s.Save(root); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(File(root))
	if err != nil {
		t.Fatal(err)
	}
	want := "# workbook progress: which lessons passed, how many hints you have seen.\n" +
		"# Written by the workbook command; deleting it forgets your progress, nothing else.\n" +
		"passed 01-foreign-keys\nhints 07-n-plus-one 2\nsolution-seen 04-join-filter\n"
	if string(data) != want {
		t.Errorf("file =\n%s\nwant:\n%s", data, want)
	}
	back, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Passed("01-foreign-keys") || back.Passed("04-join-filter") || back.HintsSeen("07-n-plus-one") != 2 ||
		!back.SolutionSeen("04-join-filter") || back.SolutionSeen("01-foreign-keys") {
		t.Errorf("loaded %+v", back)
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
	if !s.Passed("01-x") || s.HintsSeen("07-y") != 0 || s.HintsSeen("04-z") != 3 {
		t.Errorf("loaded %+v", s)
	}
}
