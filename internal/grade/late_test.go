package grade

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLatePolicy(t *testing.T) {
	p := &LatePolicy{PercentPerDay: 10, MaxDays: 3, GraceMinutes: 15}
	for _, tc := range []struct {
		name   string
		by     time.Duration
		days   int
		factor float64
	}{
		{"early", -time.Hour, 0, 1},
		{"within the grace", 10 * time.Minute, 0, 1},
		{"an hour late", time.Hour + 15*time.Minute, 1, 0.9},
		{"25 hours late", 25*time.Hour + 15*time.Minute, 2, 0.8},
		{"the last day", 72*time.Hour + 15*time.Minute, 3, 0.7},
		{"past the last day", 73*time.Hour + 15*time.Minute, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := p.apply(tc.by)
			days, factor := 0, 1.0
			if l != nil {
				days, factor = l.Days, l.Factor
			}
			if days != tc.days || factor < tc.factor-1e-9 || factor > tc.factor+1e-9 {
				t.Errorf("apply(%s) = %d days, factor %g; want %d, %g", tc.by, days, factor, tc.days, tc.factor)
			}
		})
	}
}

func TestApplyLate(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "submission_metadata.json")
	os.WriteFile(md, []byte(`{"id": 1, "created_at": "2026-07-02T01:00:00.000000-07:00",
		"assignment": {"due_date": "2026-07-01T23:00:00.000000-07:00", "late_due_date": null, "title": "Workbook", "total_points": "20.0"},
		"users": [{"email": "s@example.com", "id": 1, "name": "S"}], "previous_submissions": []}`), 0o644)
	g := &grader{opt: Options{Metadata: md}, scheme: &Scheme{Settings: Settings{Late: &LatePolicy{PercentPerDay: 25}}}}
	st := &Student{Name: "s", Lessons: []*LessonResult{{Points: 8}}}
	class := &Class{Students: []*Student{st}}
	if err := g.applyLate(class); err != nil {
		t.Fatal(err)
	}
	if st.Late == nil || st.Late.Days != 1 || st.Score() != 6 {
		t.Errorf("late %+v, score %g; want 1 day, 6", st.Late, st.Score())
	}
}

func TestLoadSchemeSettings(t *testing.T) {
	_, ls := fakeWorkbook(t)
	path := filepath.Join(t.TempDir(), "grading.json")
	os.WriteFile(path, []byte(`{"default": {"output": 2}, "gradescope": {"fresh_visibility": "visible", "leaderboard": true},
		"late": {"percent_per_day": 10, "max_days": 2}, "compile_error_not_gradable": true, "similarity": {"threshold": 0.9}}`), 0o644)
	s, err := LoadScheme(path, ls)
	if err != nil {
		t.Fatal(err)
	}
	if s.Default.Output != 2 || s.Settings.Gradescope.FreshVisibility != "visible" || s.Settings.Late.MaxDays != 2 ||
		!s.Settings.CompileErrorNotGradable || s.Settings.Similarity.Threshold != 0.9 {
		t.Errorf("settings %+v", s.Settings)
	}
	os.WriteFile(path, []byte(`{"gradescope": {"fresh_visibility": "later"}}`), 0o644)
	if _, err := LoadScheme(path, ls); err == nil {
		t.Error("a visibility Gradescope does not know was accepted")
	}
}
