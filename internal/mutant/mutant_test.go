package mutant

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

const header = "package p\n\nimport \"database/sql\"\n\nvar _ sql.DB\n\n"

func TestGoMutants(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each mutant's changed lines, as - and + lines of its diff
	}{
		{"an error returned as nil", `func f(db *sql.DB) (int, error) {
	if _, err := db.Exec("x"); err != nil {
		return 0, err
	}
	return 1, nil
}
`, []string{"-\t\treturn 0, err\n+\t\treturn 0, nil"}},
		{"commit and rollback removed", `func f(tx *sql.Tx) error {
	defer tx.Rollback()
	if err := tx.Commit(); err != nil {
		return nil
	}
	return nil
}
`, []string{"-\tdefer tx.Rollback()", "-\tif err := tx.Commit(); err != nil {\n+\tif err := error(nil); err != nil {"}},
		{"a returned slice cut by one", `func f() ([]int, error) {
	var out []int
	return out, nil
}
`, []string{"-\treturn out, nil\n+\treturn out[:max(len(out)-1, 0)], nil"}},
		{"a query before a loop repeated in it", `func f(db *sql.DB) error {
	var n int
	err := db.QueryRow("x").Scan(&n)
	for i := 0; i < n; i++ {
		_ = i
	}
	return err
}
`, []string{"-\treturn err\n+\treturn nil", "+\t\terr = db.QueryRow(\"x\").Scan(&n)"}},
		{"a statement in a raw string", "func f(db *sql.DB) {\n\tdb.Exec(`DELETE FROM t WHERE a = 1 AND b = 2`)\n}\n", []string{
			"-\tdb.Exec(`DELETE FROM t WHERE a = 1 AND b = 2`)\n+\tdb.Exec(`DELETE FROM t WHERE b = 2`)",
			"-\tdb.Exec(`DELETE FROM t WHERE a = 1 AND b = 2`)\n+\tdb.Exec(`DELETE FROM t WHERE a = 1`)",
		}},
		{"a statement in a concatenation", "const q = \"SELECT a FROM t \" +\n\t\"ORDER BY a\"\n", []string{
			"-\t\"ORDER BY a\"\n+\t\"ORDER BY a DESC\"",
			"-const q = \"SELECT a FROM t \" +\n-\t\"ORDER BY a\"\n+const q = \"SELECT a FROM t\"",
		}},
		{"not SQL", "func f() string { return \"a >= b\" }\n", nil},
	}
	changed := regexp.MustCompile(`(?m)^[-+][^-+].*$|^[-+]$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(header + tt.src)
			ms, err := Make("p.go", src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, strings.Join(changed.FindAllString(string(diff.Diff("a", src, "b", m.Source)), -1), "\n"))
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("mutants:\n%s\nwant:\n%s", strings.Join(got, "\n~~\n"), strings.Join(want, "\n~~\n"))
			}
		})
	}
}

func TestIDsAreStable(t *testing.T) {
	src := header + "func f(db *sql.DB) { db.Exec(`DELETE FROM t WHERE a = 1`) }\n"
	moved := header + "// A comment that moves every offset.\n\nfunc g() {}\n\nfunc f(db *sql.DB) { db.Exec(`DELETE FROM t WHERE a = 1`) }\n"
	a, err := Make("p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Make("p.go", []byte(moved))
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID {
		t.Fatalf("ids %v and %v, want one mutant each with the same id", ids(a), ids(b))
	}
	if !regexp.MustCompile(`^drop-where-[0-9a-f]{8}$`).MatchString(a[0].ID) {
		t.Errorf("id %q, want drop-where- and eight hex digits", a[0].ID)
	}
}

func ids(ms []Mutant) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestGiven(t *testing.T) {
	solution := header + "type E struct{ Err error }\n\nfunc (e *E) Unwrap() error { return e.Err }\n\nconst Q = `SELECT 1`\n\nfunc F() error { return nil }\n"
	shipped := header + "type E struct{ Err error }\n\nfunc (e *E) Unwrap() error { return e.Err }\n\nconst Q = `SELECT 1`\n\nfunc F() error { return errors.New(\"write F\") }\n"
	got := Given([]byte(solution), []byte(shipped))
	if !got["E.Unwrap"] || !got["Q"] || got["F"] || len(got) != 2 {
		t.Errorf("Given = %v, want E.Unwrap and Q", got)
	}
}
