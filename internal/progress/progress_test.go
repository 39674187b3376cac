package progress

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

var (
	monday  = time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC)
	tuesday = time.Date(2026, 12, 1, 18, 4, 5, 0, time.UTC)
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
	s.Record("01-foreign-keys", true, monday)
	s.Record("04-join-filter", true, monday)
	s.Record("04-join-filter", false, tuesday)
	s.Record("05-join-aggregate", false, tuesday)
	s.SetHintSeen("07-n-plus-one", 2)
	s.SetHintSeen("07-n-plus-one", 0)
	s.SetFailedChecks("07-n-plus-one", []string{"report-100-users", "report-1000-users"})
	s.SetHintSeen("04-join-filter", 1)
	s.SetHintSeen("04-join-filter", 0)
	s.SetFailedChecks("04-join-filter", []string{"a"})
	s.SetFailedChecks("04-join-filter", nil)
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
		"passed 01-foreign-keys 2026-11-30T09:15:00Z\npassed 04-join-filter 2026-11-30T09:15:00Z\n" +
		"failing 04-join-filter\nhints 04-join-filter 2\nhints-seen 07-n-plus-one 1 3\n" +
		"failed-checks 07-n-plus-one report-100-users report-1000-users\nsolution-seen 04-join-filter\n"
	if string(data) != want {
		t.Errorf("file =\n%s\nwant:\n%s", data, want)
	}
	back, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Passed("01-foreign-keys") || back.Failing("01-foreign-keys") || !back.PassedAt("01-foreign-keys").Equal(monday) {
		t.Errorf("01: passed %v at %v, failing %v", back.Passed("01-foreign-keys"), back.PassedAt("01-foreign-keys"), back.Failing("01-foreign-keys"))
	}
	if !back.Passed("04-join-filter") || !back.Failing("04-join-filter") {
		t.Errorf("04 passed before and fails now: passed %v, failing %v", back.Passed("04-join-filter"), back.Failing("04-join-filter"))
	}
	if back.Passed("05-join-aggregate") || back.Failing("05-join-aggregate") {
		t.Errorf("05 never passed: passed %v, failing %v", back.Passed("05-join-aggregate"), back.Failing("05-join-aggregate"))
	}
	if back.HintsSeen("07-n-plus-one") != 2 || back.HintsSeen("04-join-filter") != 2 || !back.HintSeen("04-join-filter", 1) ||
		!back.HintSeen("07-n-plus-one", 0) || back.HintSeen("07-n-plus-one", 1) || !back.HintSeen("07-n-plus-one", 2) ||
		len(back.FailedChecks("07-n-plus-one")) != 2 || back.FailedChecks("04-join-filter") != nil ||
		!back.SolutionSeen("04-join-filter") || back.SolutionSeen("01-foreign-keys") {
		t.Errorf("loaded %+v", back)
	}
	if got := back.FailedChecks("07-n-plus-one"); len(got) != 2 || got[0] != "report-100-users" || got[1] != "report-1000-users" {
		t.Errorf("FailedChecks = %q, want [report-100-users report-1000-users]", got)
	}
	if got := back.FailedChecks("04-join-filter"); got != nil {
		t.Errorf("FailedChecks after a pass = %q, want none", got)
	}
}

func TestRecord(t *testing.T) {
	tests := []struct {
		name        string
		runs        []bool // the results, one a day from monday
		wantPassed  bool
		wantFailing bool
		wantAt      time.Time
	}{
		{"never run", nil, false, false, time.Time{}},
		{"failed only", []bool{false, false}, false, false, time.Time{}},
		{"passed", []bool{false, true}, true, false, monday.AddDate(0, 0, 1)},
		{"passed, then failed", []bool{true, false}, true, true, monday},
		{"passed, failed, passed again: the first pass counts", []bool{true, false, true}, true, false, monday},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			for i, pass := range tt.runs {
				s.Record("01-x", pass, monday.AddDate(0, 0, i))
			}
			if s.Passed("01-x") != tt.wantPassed || s.Failing("01-x") != tt.wantFailing || !s.PassedAt("01-x").Equal(tt.wantAt) {
				t.Errorf("passed %v at %v, failing %v; want %v at %v, %v",
					s.Passed("01-x"), s.PassedAt("01-x"), s.Failing("01-x"), tt.wantPassed, tt.wantAt, tt.wantFailing)
			}
		})
	}
}

func TestForget(t *testing.T) {
	s, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.Record("01-x", true, monday)
	s.Record("01-x", false, tuesday)
	s.Forget("01-x")
	if s.Passed("01-x") || s.Failing("01-x") {
		t.Errorf("forgotten, yet passed %v, failing %v", s.Passed("01-x"), s.Failing("01-x"))
	}
}

// TestMigrateOldFormat reads a file the workbook wrote before passes had
// times, and writes it back with nothing lost.
func TestMigrateOldFormat(t *testing.T) {
	root := t.TempDir()
	old := "# workbook progress: which lessons passed, how many hints you have seen.\n" +
		"# Written by the workbook command; deleting it forgets your progress, nothing else.\n" +
		"passed 01-foreign-keys\npassed 02-one-to-many\nhints 03-related-inserts 1\nhints 07-n-plus-one 2\nsolution-seen 02-one-to-many\n"
	writeFile(t, File(root), old)
	s, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"01-foreign-keys", "02-one-to-many"} {
		if !s.Passed(id) || s.Failing(id) || !s.PassedAt(id).IsZero() {
			t.Errorf("%s: passed %v at %v, failing %v; want passed at an unknown time", id, s.Passed(id), s.PassedAt(id), s.Failing(id))
		}
	}
	if s.HintsSeen("03-related-inserts") != 1 || s.HintsSeen("07-n-plus-one") != 2 || !s.SolutionSeen("02-one-to-many") {
		t.Errorf("hints or solutions lost: %+v", s)
	}
	if err := s.Save(root); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(File(root))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != old {
		t.Errorf("saved again =\n%s\nwant it as it was:\n%s", data, old)
	}

	// A pass recorded later keeps its time beside the old lines.
	s.Record("03-related-inserts", true, tuesday)
	s.Record("01-foreign-keys", false, tuesday)
	if err := s.Save(root); err != nil {
		t.Fatal(err)
	}
	back, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if !back.PassedAt("03-related-inserts").Equal(tuesday) || !back.Passed("01-foreign-keys") || !back.Failing("01-foreign-keys") {
		t.Errorf("after new runs: 03 passed at %v; 01 passed %v, failing %v",
			back.PassedAt("03-related-inserts"), back.Passed("01-foreign-keys"), back.Failing("01-foreign-keys"))
	}
}

func TestLoadSkipsWhatItDoesNotKnow(t *testing.T) {
	root := t.TempDir()
	writeFile(t, File(root), "passed 01-x\nhints 07-y lots\nsomething else\nhints 04-z 3\n"+
		"passed 02-x yesterday\nfailing 09-never-passed\n")
	s, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Passed("01-x") || s.HintsSeen("07-y") != 0 || s.HintsSeen("04-z") != 3 || !s.HintSeen("04-z", 2) || s.HintSeen("04-z", 3) {
		t.Errorf("loaded %+v", s)
	}
	if !s.Passed("02-x") || !s.PassedAt("02-x").IsZero() {
		t.Errorf("a pass with a time it cannot read: passed %v at %v; want passed at an unknown time", s.Passed("02-x"), s.PassedAt("02-x"))
	}
	if s.Failing("09-never-passed") {
		t.Error("a lesson that never passed counts as failing now")
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
