package lesson

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the hints sections of the lessons' README.md files")

func TestShippedLessonsLoad(t *testing.T) {
	all, err := LoadAll("../..")
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range all {
		if i > 0 && all[i-1].Number >= l.Number {
			t.Errorf("lessons out of order: %s before %s", all[i-1].ID(), l.ID())
		}
		if _, err := os.Stat(filepath.Join(l.Dir, "README.md")); err != nil {
			t.Errorf("%s: %v", l.ID(), err)
		}
		for _, f := range l.Files {
			if _, err := os.Stat(filepath.Join("../../solutions", l.ID(), f)); err != nil {
				t.Errorf("%s has no reference solution for %s: %v", l.ID(), f, err)
			}
		}
	}
}

// TestReadmeHints keeps the hints in each README.md equal to the hints in
// lesson.json; run with -update to rewrite the READMEs.
func TestReadmeHints(t *testing.T) {
	all, err := LoadAll("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		path := filepath.Join(l.Dir, "README.md")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := l.ReadmeWithHints(string(data))
		if err != nil {
			t.Error(err)
			continue
		}
		if want == string(data) {
			continue
		}
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s: the hints differ from lesson.json (go test ./internal/lesson -update rewrites them)", path)
	}
}

func testLessons() []*Lesson {
	return []*Lesson{
		{Number: 1, Name: "foreign-keys"},
		{Number: 4, Name: "join-filter"},
		{Number: 7, Name: "n-plus-one"},
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		query   string
		want    int    // lesson number; 0 for none
		nearest string // the suggestion when none
	}{
		{"7", 7, ""},
		{"07", 7, ""},
		{"n-plus-one", 7, ""},
		{"07-n-plus-one", 7, ""},
		{"lessons/07-n-plus-one/", 7, ""},
		{"./lessons/04-join-filter", 4, ""},
		{"N-Plus-One", 7, ""},
		{"join", 4, ""},
		{"n-plus-onw", 0, "n-plus-one"},
		{"foriegn-keys", 0, "foreign-keys"},
		{"joins", 0, "join-filter"},
		{"12", 0, ""},
		{"zzzzzzzz", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			l, err := Find(testLessons(), tt.query)
			if tt.want != 0 {
				if err != nil || l.Number != tt.want {
					t.Fatalf("Find(%q) = %v, %v; want lesson %d", tt.query, l, err, tt.want)
				}
				return
			}
			var nf *NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("Find(%q) error = %v, want a *NotFoundError", tt.query, err)
			}
			got := ""
			if nf.Nearest != nil {
				got = nf.Nearest.Name
			}
			if got != tt.nearest {
				t.Errorf("Find(%q) suggests %q, want %q", tt.query, got, tt.nearest)
			}
		})
	}
}

func TestLoadRejectsBadManifests(t *testing.T) {
	tests := []struct {
		name, dir, manifest, want string
	}{
		{"folder name", "7-x", `{}`, "not named NN-name"},
		{"number", "07-x", `{"number": 8, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": ["h"]}`, "number is 8 but the folder says 7"},
		{"test file", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a_test.go"], "checks": [{"name": "c"}], "hints": ["h"]}`, "must be a non-test file"},
		{"duplicate check", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}, {"name": "c"}], "hints": ["h"]}`, `check "c" is declared twice`},
		{"no hints", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": []}`, "hints is empty"},
		{"unknown field", "07-x", `{"number": 7, "nmae": "x"}`, "unknown field"},
		{"hint about no such check", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": [{"text": "h", "checks": ["d"]}]}`, `hint 1 is about check "d", which the lesson does not declare`},
		{"hint naming a check twice", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": ["h", {"text": "h", "checks": ["c", "c"]}]}`, `hint 2 names check "c" twice`},
		{"hint without text", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": [{"checks": ["c"]}]}`, "hint 1 has no text"},
		{"hint with an unknown field", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": [{"txt": "h"}]}`, `unknown field "txt"`},
		{"hint of another type", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": [7]}`, "a hint is a string or"},
		{"bad timeout", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": ["h"], "timeout": "soon"}`, "not a positive Go duration"},
		{"mutant id", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": ["h"], "equivalent_mutants": [{"id": "drop the order", "reason": "r"}]}`, "is not an operator and eight hex digits"},
		{"mutant reason", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": ["h"], "equivalent_mutants": [{"id": "err-nil-0123abcd", "reason": " "}]}`, `"err-nil-0123abcd" has no reason`},
		{"mutant twice", "07-x", `{"number": 7, "name": "x", "title": "t", "files": ["a.go"], "checks": [{"name": "c"}], "hints": ["h"], "equivalent_mutants": [{"id": "err-nil-0123abcd-2", "reason": "r"}, {"id": "err-nil-0123abcd-2", "reason": "r"}]}`, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tt.dir)
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "a.go"), []byte("package x\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "a_test.go"), []byte("package x\n"), 0o644)
			os.WriteFile(filepath.Join(dir, ManifestName), []byte(tt.manifest), 0o644)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestHintsReadAsStringsOrObjects(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "07-x")
	os.MkdirAll(dir, 0o755)
	manifest := `{"number": 7, "name": "x", "title": "t", "files": ["a.go"],
		"checks": [{"name": "a"}, {"name": "b"}],
		"hints": ["plain", {"text": "about a", "checks": ["a"]}, {"text": "about none"}]}`
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Hint{{Text: "plain"}, {Text: "about a", Checks: []string{"a"}}, {Text: "about none"}}
	if !reflect.DeepEqual(l.Hints, want) {
		t.Errorf("Hints = %+v, want %+v", l.Hints, want)
	}
}

func TestHintOrder(t *testing.T) {
	l := &Lesson{
		Checks: []Check{{Name: "a"}, {Name: "b"}, {Name: "c"}},
		Hints: []Hint{
			{Text: "0, general"},
			{Text: "1, about a", Checks: []string{"a"}},
			{Text: "2, about b", Checks: []string{"b"}},
			{Text: "3, about a and b", Checks: []string{"a", "b"}},
			{Text: "4, about c", Checks: []string{"c"}},
		},
	}
	seenOf := func(idx ...int) func(int) bool {
		return func(i int) bool { return slices.Contains(idx, i) }
	}
	tests := []struct {
		name    string
		failing []string
		seen    func(int) bool
		want    []int
	}{
		{"no run: the manifest's order", nil, nil, []int{0, 1, 2, 3, 4}},
		{"the first failing check's hints first, general ones among them", []string{"b"}, nil, []int{0, 2, 3, 1, 4}},
		{"then the next failing check's", []string{"b", "c"}, nil, []int{0, 2, 3, 4, 1}},
		{"a hint about two checks comes once", []string{"a", "b"}, nil, []int{0, 1, 3, 2, 4}},
		{"seen hints are left out", []string{"b"}, seenOf(2, 0), []int{3, 1, 4}},
		{"the failing check's hints all seen: the rest in order", []string{"c"}, seenOf(0, 4), []int{1, 2, 3}},
		{"a failing check no hint names: general ones first", []string{"zz"}, nil, []int{0, 1, 2, 3, 4}},
		{"all seen", []string{"a"}, seenOf(0, 1, 2, 3, 4), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.HintOrder(tt.failing, tt.seen); !slices.Equal(got, tt.want) {
				t.Errorf("HintOrder(%q) = %v, want %v", tt.failing, got, tt.want)
			}
		})
	}
}

func TestReadmeWithHintsGivesNothingAway(t *testing.T) {
	l := &Lesson{Number: 7, Name: "x", Hints: []Hint{{Text: "the secret answer"}, {Text: "another"}}}
	readme := "# Lesson\n\n## Hints\n\n" + hintsBegin + "\nold text\n" + hintsEnd + "\n"
	got, err := l.ReadmeWithHints(readme)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "secret") || strings.Contains(got, "old text") {
		t.Errorf("README holds a hint or the old section:\n%s", got)
	}
	for _, want := range []string{"2 hints", "`go run ./cmd/workbook hint 7`", "`h`"} {
		if !strings.Contains(got, want) {
			t.Errorf("README does not say %s:\n%s", want, got)
		}
	}
}

func TestFindRoot(t *testing.T) {
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "lessons")); err != nil {
		t.Errorf("FindRoot = %s, which has no lessons/", root)
	}
	if _, err := FindRoot(os.TempDir()); err == nil {
		t.Error("FindRoot outside the workbook found a root")
	}
}

func TestMissingFilesLoadAndAreNamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "07-x")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := `{"number": 7, "name": "x", "title": "t", "files": ["a.go", "b.go"], "checks": [{"name": "c"}], "hints": ["h"]}`
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatalf("Load with a learner file deleted: %v", err)
	}
	if got := l.Missing(); len(got) != 1 || got[0] != "b.go" {
		t.Errorf("Missing() = %q, want [b.go]", got)
	}
}

func TestModulePath(t *testing.T) {
	for src, want := range map[string]string{
		"module workbook\n\ngo 1.25\n":          "workbook",
		"// c\nmodule \"example.com/x\" // y\n": "example.com/x",
		"go 1.25\n":                             "",
		"modules x\n":                           "",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ModulePath(dir)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("ModulePath of %q = %q, %v; want %q", src, got, err, want)
		}
	}
}
