package lesson

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestLayout(t *testing.T) {
	root := filepath.FromSlash("/work/workbook")
	abs := &Lesson{Number: 7, Name: "n-plus-one", Files: []string{"report.go", "sql/query.go"},
		Dir: filepath.Join(root, "lessons", "07-n-plus-one")}
	rel := &Lesson{Number: 1, Name: "foreign-keys", Files: []string{"schema.go"},
		Dir: filepath.FromSlash("lessons/01-foreign-keys")}
	tests := []struct {
		name string
		got  string
		want string // with slashes
	}{
		{"Root", abs.Root(), "/work/workbook"},
		{"LearnerPath", abs.LearnerPath("report.go"), "/work/workbook/lessons/07-n-plus-one/report.go"},
		{"LearnerPath in a subfolder", abs.LearnerPath("sql/query.go"), "/work/workbook/lessons/07-n-plus-one/sql/query.go"},
		{"ManifestPath", abs.ManifestPath(), "/work/workbook/lessons/07-n-plus-one/lesson.json"},
		{"SolutionDir", abs.SolutionDir(), "/work/workbook/solutions/07-n-plus-one"},
		{"SolutionPath", abs.SolutionPath("report.go"), "/work/workbook/solutions/07-n-plus-one/report.go"},
		{"SolutionPath in a subfolder", abs.SolutionPath("sql/query.go"), "/work/workbook/solutions/07-n-plus-one/sql/query.go"},
		{"ShippedPath", abs.ShippedPath("report.go"), "/work/workbook/_shipped/07-n-plus-one/report.go"},
		{"ExpectedDir", abs.ExpectedDir(), "/work/workbook/lessons/07-n-plus-one/expected"},
		{"ExpectedFile", abs.ExpectedFile("report-10-users", "budget", ""), "/work/workbook/lessons/07-n-plus-one/expected/report-10-users/budget.json"},
		{"ExpectedFile named", abs.ExpectedFile("report-10-users", "budget-variant", "totals"), "/work/workbook/lessons/07-n-plus-one/expected/report-10-users/budget-variant.totals.json"},
		{"Rel of a solution", abs.Rel(abs.SolutionPath("report.go")), "solutions/07-n-plus-one/report.go"},
		{"Rel of the manifest", abs.Rel(abs.ManifestPath()), "lessons/07-n-plus-one/lesson.json"},
		{"Rel of the expected results", abs.Rel(abs.ExpectedDir()), "lessons/07-n-plus-one/expected"},
		{"Rel of the lesson's folder", abs.Rel(abs.Dir), "lessons/07-n-plus-one"},
		{"Rel of a path it cannot make relative", rel.Rel(abs.Dir), "/work/workbook/lessons/07-n-plus-one"},
		{"RelPath", abs.RelPath("report.go"), "lessons/07-n-plus-one/report.go"},
		{"RelPath in a subfolder", abs.RelPath("sql/query.go"), "lessons/07-n-plus-one/sql/query.go"},
		{"relative Root", rel.Root(), "."},
		{"relative LearnerPath", rel.LearnerPath("schema.go"), "lessons/01-foreign-keys/schema.go"},
		{"relative SolutionPath", rel.SolutionPath("schema.go"), "solutions/01-foreign-keys/schema.go"},
		{"relative ShippedPath", rel.ShippedPath("schema.go"), "_shipped/01-foreign-keys/schema.go"},
		{"relative ExpectedFile", rel.ExpectedFile("cascade", "shop", ""), "lessons/01-foreign-keys/expected/cascade/shop.json"},
		{"relative RelPath", rel.RelPath("schema.go"), "lessons/01-foreign-keys/schema.go"},
		{"RelPath without a folder", (&Lesson{Number: 4, Name: "join-filter"}).RelPath("expenses.go"), "lessons/04-join-filter/expenses.go"},
	}
	for _, tt := range tests {
		if want := filepath.FromSlash(tt.want); tt.got != want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, want)
		}
	}
}

func TestLearnerPaths(t *testing.T) {
	dir := filepath.FromSlash("/work/workbook/lessons/07-n-plus-one")
	tests := []struct {
		files []string
		want  []string // with slashes
	}{
		{nil, []string{}},
		{[]string{"report.go"}, []string{"/work/workbook/lessons/07-n-plus-one/report.go"}},
		{[]string{"report.go", "sql/query.go"}, []string{
			"/work/workbook/lessons/07-n-plus-one/report.go",
			"/work/workbook/lessons/07-n-plus-one/sql/query.go",
		}},
	}
	for _, tt := range tests {
		l := &Lesson{Number: 7, Name: "n-plus-one", Files: tt.files, Dir: dir}
		var want []string
		for _, w := range tt.want {
			want = append(want, filepath.FromSlash(w))
		}
		if got := l.LearnerPaths(); !slices.Equal(got, want) {
			t.Errorf("LearnerPaths of %q = %q, want %q", tt.files, got, want)
		}
	}
}

// TestLayoutOfLoadedLessons checks the methods against the lessons as
// LoadAll finds them: each path is where the workbook keeps it.
func TestLayoutOfLoadedLessons(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	all, err := LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if l.Root() != root {
			t.Errorf("%s: Root() = %q, want %q", l.ID(), l.Root(), root)
		}
		if want := filepath.Join(LessonsDir, l.ID(), ManifestName); l.Rel(l.ManifestPath()) != want {
			t.Errorf("%s: Rel(ManifestPath()) = %q, want %q", l.ID(), l.Rel(l.ManifestPath()), want)
		}
		for _, f := range l.Files {
			if got, want := l.RelPath(f), l.Rel(l.LearnerPath(f)); got != want {
				t.Errorf("%s: RelPath(%q) = %q, but Rel(LearnerPath(%[2]q)) = %q", l.ID(), f, got, want)
			}
			if want := filepath.Join(root, SolutionsDir, l.ID(), filepath.FromSlash(f)); l.SolutionPath(f) != want {
				t.Errorf("%s: SolutionPath(%q) = %q, want %q", l.ID(), f, l.SolutionPath(f), want)
			}
		}
	}
}
