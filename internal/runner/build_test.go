package runner

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"workbook/internal/lesson"
)

func TestExplainBuild(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"lessons/14-norm/lesson.json": `{"number": 14, "name": "norm", "title": "Norm", "files": ["migrate.go"], "checks": [{"name": "one"}], "hints": ["h"]}`,
		"lessons/14-norm/migrate.go":  "package norm\n\nimport \"database/sql\"\n\nfunc Migrate(db *sql.DB, x int) error { return nil }\n\nfunc loadLog() {}\n\ntype Account struct{ ID int64 }\n\nconst driverName = \"sqlite3\"\n",
		"_shipped/14-norm/migrate.go": "package norm\n\nimport \"database/sql\"\n\nfunc Migrate(db *sql.DB) error { return nil }\n\nfunc LoadLog() {}\n\nvar driverName = \"sqlite3\"\n",
	}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := lesson.Load(filepath.Join(root, "lessons", "14-norm"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		lines []string
		want  BuildProblem
	}{
		{"a function the checks call, renamed", []string{"lessons/14-norm/check_test.go:28:23: undefined: norm.Gone"},
			BuildProblem{Kind: BuildMissing, Name: "Gone", At: "lessons/14-norm/check_test.go:28:23"}},
		{"a function the checks call, unexported", []string{"lessons/14-norm/check_test.go:30:2: undefined: norm.LoadLog"},
			BuildProblem{Kind: BuildMissing, Name: "LoadLog", At: "lessons/14-norm/check_test.go:30:2", Want: "func LoadLog()",
				Similar: "loadLog", SimilarAt: "lessons/14-norm/migrate.go:7:6"}},
		{"other parameters", []string{"lessons/14-norm/check_test.go:28:31: not enough arguments in call to norm.Migrate", "\thave (*sql.DB)", "\twant (*sql.DB, int)"},
			BuildProblem{Kind: BuildSignature, Name: "Migrate", At: "lessons/14-norm/check_test.go:28:31", Declared: "lessons/14-norm/migrate.go:5:6",
				Have: "func Migrate(db *sql.DB, x int) error", Want: "func Migrate(db *sql.DB) error"}},
		{"other results", []string{"lessons/14-norm/check_test.go:28:9: assignment mismatch: 1 variable but norm.Migrate(c.DB()) returns 2 values"},
			BuildProblem{Kind: BuildSignature, Name: "Migrate", At: "lessons/14-norm/check_test.go:28:9", Declared: "lessons/14-norm/migrate.go:5:6",
				Have: "func Migrate(db *sql.DB, x int) error", Want: "func Migrate(db *sql.DB) error"}},
		{"a variable the checks set, made a constant", []string{"lessons/14-norm/driver_test.go:8:15: cannot assign to driverName (neither addressable nor a map index expression)"},
			BuildProblem{Kind: BuildSignature, Name: "driverName", At: "lessons/14-norm/driver_test.go:8:15", Declared: "lessons/14-norm/migrate.go:11:7",
				Have: `const driverName = "sqlite3"`, Want: `var driverName = "sqlite3"`}},
		{"a field gone", []string{"lessons/14-norm/check_test.go:40:7: a.Owner undefined (type norm.Account has no field or method Owner)"},
			BuildProblem{Kind: BuildMember, Name: "Account.Owner", At: "lessons/14-norm/check_test.go:40:7", Declared: "lessons/14-norm/migrate.go:9:6"}},
		{"redeclared in the learner's own file", []string{"lessons/14-norm/migrate.go:12:6: loadLog redeclared in this block", "\tlessons/14-norm/migrate.go:7:6: other declaration of loadLog"},
			BuildProblem{Kind: BuildRedeclared, Name: "loadLog", At: "lessons/14-norm/migrate.go:12:6", Declared: "lessons/14-norm/migrate.go:7:6"}},
		{"an error in the learner's file", []string{"lessons/14-norm/migrate.go:5:40: undefined: sqlx"},
			BuildProblem{Kind: BuildOther}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExplainBuild(l, tt.lines)
			if len(got) != 1 {
				t.Fatalf("ExplainBuild gave %d problems, want 1: %+v", len(got), got)
			}
			g := got[0]
			g.Lines = nil
			if !reflect.DeepEqual(g, tt.want) {
				t.Errorf("ExplainBuild =\n  %+v\nwant\n  %+v", g, tt.want)
			}
		})
	}
}
