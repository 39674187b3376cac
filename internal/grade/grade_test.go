package grade

import (
	"archive/zip"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// fakeWorkbook writes a workbook with two lessons into a temporary folder
// and returns its root and lessons.
func fakeWorkbook(t *testing.T) (string, []*lesson.Lesson) {
	t.Helper()
	root := t.TempDir()
	write(t, root, map[string]string{
		"go.mod":                              "module example.com/wb\n\ngo 1.25\n",
		"README.md":                           "the workbook\n",
		"lessons/01-first/lesson.json":        `{"number": 1, "name": "first", "title": "First", "files": ["a.go"], "checks": [{"name": "one"}, {"name": "two"}], "hints": ["h"]}`,
		"lessons/01-first/a.go":               "package first\n",
		"lessons/01-first/check_test.go":      "package first\n",
		"lessons/02-second/lesson.json":       `{"number": 2, "name": "second", "title": "Second", "files": ["b.go", "util/c.go"], "checks": [{"name": "three"}], "hints": ["h"]}`,
		"lessons/02-second/b.go":              "package second\n",
		"lessons/02-second/util/c.go":         "package util\n",
		"lessons/02-second/expected/x/y.json": "[]\n",
	})
	ls, err := lesson.LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	return root, ls
}

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadScheme(t *testing.T) {
	_, ls := fakeWorkbook(t)
	for _, tc := range []struct {
		name    string
		file    string // "" for none
		weights map[string]Weight
		err     string
	}{
		{"no file", "", map[string]Weight{"01-first/one": {1, 1}, "02-second/three": {1, 1}}, ""},
		{"default", `{"default": {"output": 3}}`, map[string]Weight{"01-first/one": {3, 1}}, ""},
		{"a check", `{"default": {"output": 2, "budget": 2}, "lessons": {"01-first": {"two": {"budget": 5}}}}`,
			map[string]Weight{"01-first/one": {2, 2}, "01-first/two": {2, 5}}, ""},
		{"unknown lesson", `{"lessons": {"03-third": {}}}`, nil, `no lesson "03-third" (the lessons are 01-first, 02-second)`},
		{"unknown check", `{"lessons": {"01-first": {"six": {"output": 1}}}}`, nil, `lesson 01-first has no check "six" (its checks are one, two)`},
		{"negative", `{"default": {"budget": -1}}`, nil, "points cannot be negative"},
		{"unknown field", `{"defaults": {}}`, nil, `unknown field "defaults"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), PointsFile)
			if tc.file != "" {
				os.WriteFile(path, []byte(tc.file), 0o644)
			}
			s, err := LoadScheme(path, ls)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for key, want := range tc.weights {
				id, check, _ := strings.Cut(key, "/")
				if got := s.Weight(id, check); got != want {
					t.Errorf("Weight(%s) = %+v, want %+v", key, got, want)
				}
			}
		})
	}
}

func TestScore(t *testing.T) {
	s := &Scheme{Default: Weight{Output: 2, Budget: 1}}
	v := func(status protocol.Status, output, budget protocol.Part) *protocol.Verdict {
		return &protocol.Verdict{Status: status, Output: output, Budget: budget}
	}
	for _, tc := range []struct {
		name      string
		status    CheckStatus
		verdict   *protocol.Verdict
		hasBudget bool
		points    float64
		max       float64
	}{
		{"pass", CheckPass, v("pass", "pass", "pass"), true, 3, 3},
		{"pass without a budget", CheckPass, v("pass", "pass", "not judged"), false, 2, 2},
		{"right result over the budget", CheckFail, v("fail", "pass", "fail"), true, 2, 3},
		{"wrong result within the budget", CheckFail, v("fail", "fail", "pass"), true, 0, 3},
		{"error", CheckError, v("error", "fail", "not judged"), true, 0, 3},
		{"panic", CheckPanic, v("panic", "fail", "not judged"), true, 0, 3},
		{"timeout", CheckTimeout, v("timeout", "fail", "not judged"), true, 0, 3},
		{"broken", CheckBroken, v("broken", "not judged", "not judged"), true, 0, 3},
		{"crashed", CheckCrashed, nil, true, 0, 3},
		{"compile error", CheckCompileError, nil, false, 0, 2},
		{"not attempted", CheckNotAttempted, nil, true, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &CheckResult{Name: "c", Status: tc.status, Verdict: tc.verdict}
			s.score("01-first", c, tc.hasBudget)
			if c.Points != tc.points || c.Max != tc.max {
				t.Errorf("points %g of %g, want %g of %g", c.Points, c.Max, tc.points, tc.max)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"class/alice/lessons/01-first/a.go": "package first\n",
		"class/bob.zip":                     "",
		"class/carol.tar.gz":                "",
		"class/dave.tgz":                    "",
		"class/notes.txt":                   "",
		"class/erin.rar":                    "",
		"class/.hidden/x":                   "",
		"class/_old/x":                      "",
		"single/lessons/01-first/a.go":      "package first\n",
		"wrapped/workbook-main/lessons/x":   "",
		"loose/a.go":                        "package first\n",
		"empty/notes.txt":                   "",
	})
	if err := os.Symlink(filepath.Join(dir, "class/alice"), filepath.Join(dir, "class/frank")); err != nil {
		t.Fatal(err)
	}
	kinds := "not a folder or an archive the grader reads (.tar.gz, .tgz, .zip); nothing graded"
	for _, tc := range []struct {
		path    string
		want    []string // names
		skipped []string
		err     string
	}{
		{"class", []string{"alice", "bob", "carol", "dave"}, []string{
			`.hidden: hidden (its name starts with "."); nothing graded`,
			`_old: set aside (its name starts with "_"); nothing graded`,
			"erin.rar: " + kinds,
			"frank: a link, which the grader does not follow; nothing graded (copy the folder or archive itself here)",
			"notes.txt: " + kinds,
		}, ""},
		{"single", []string{"single"}, nil, ""},
		{"wrapped", []string{"wrapped"}, nil, ""},
		{"loose", []string{"loose"}, nil, ""},
		{"class/bob.zip", []string{"bob"}, nil, ""},
		{"class/notes.txt", nil, nil, "neither a folder nor"},
		{"empty", nil, nil, "holds no submissions: put one folder, .zip or .tar.gz per student in it, or name one submission\n  notes.txt: " + kinds},
		{"nowhere", nil, nil, "no submissions at"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, skipped, err := Discover(filepath.Join(dir, tc.path))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range got {
				names = append(names, s.Name)
			}
			if !reflect.DeepEqual(names, tc.want) {
				t.Errorf("names = %v, want %v", names, tc.want)
			}
			var why []string
			for _, s := range skipped {
				why = append(why, s.String())
			}
			if !reflect.DeepEqual(why, tc.skipped) {
				t.Errorf("skipped =\n  %s\nwant\n  %s", strings.Join(why, "\n  "), strings.Join(tc.skipped, "\n  "))
			}
		})
	}
}

func TestSafeJoin(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
		want string
	}{
		{"lessons/01-first/a.go", true, "lessons/01-first/a.go"},
		{"./a.go", true, "a.go"},
		{"/etc/passwd", true, "etc/passwd"},
		{"../../etc/passwd", false, ""},
		{"lessons/../../x", false, ""},
		{`..\x`, false, ""},
		{"", false, ""},
		{"a\x00b", false, ""},
	} {
		got, ok := safeJoin("/dst", tc.name)
		if ok != tc.ok || ok && got != filepath.Join("/dst", tc.want) {
			t.Errorf("safeJoin(%q) = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUnzipSkipsWhatLeavesTheFolder(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "s.zip")
	f, _ := os.Create(archive)
	zw := zip.NewWriter(f)
	for _, name := range []string{"lessons/01-first/a.go", "../escape.go", "/abs.go"} {
		w, _ := zw.Create(name)
		w.Write([]byte("package first\n"))
	}
	zw.Close()
	f.Close()
	out := filepath.Join(dir, "out")
	if err := unpack(archive, out); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(got)
	want := []string{"out/abs.go", "out/lessons/01-first/a.go", "s.zip"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	os.WriteFile(archive, []byte("not a zip"), 0o644)
	if err := unpack(archive, out); err == nil || !strings.Contains(err.Error(), "reading s.zip") {
		t.Errorf("a broken zip: %v", err)
	}
}

func TestReadSubmission(t *testing.T) {
	root, ls := fakeWorkbook(t)
	for _, tc := range []struct {
		name    string
		files   map[string]string
		lessons map[string][]string // lesson → learner files read
		ignored []string
		flags   int
	}{
		{"a lesson's file", map[string]string{"lessons/01-first/a.go": "package first // mine\n"},
			map[string][]string{"01-first": {"a.go"}}, nil, 0},
		{"both files of a lesson, one missing", map[string]string{"lessons/02-second/b.go": "package second\n"},
			map[string][]string{"02-second": {"b.go"}}, nil, 0},
		{"changes outside the learner's files", map[string]string{
			"lessons/01-first/a.go":               "package first\n",
			"lessons/01-first/check_test.go":      "package first // always pass\n",
			"lessons/02-second/expected/x/y.json": "[1]\n",
			"lessons/02-second/extra.go":          "package second\n",
			"go.mod":                              "module evil\n",
			"README.md":                           "the workbook\n",
			".git/config":                         "x",
		}, map[string][]string{"01-first": {"a.go"}}, []string{
			"go.mod (changed)", "lessons/01-first/check_test.go (changed)",
			"lessons/02-second/expected/x/y.json (changed)", "lessons/02-second/extra.go (added)"}, 0},
		{"loose files", map[string]string{"a.go": "package first\n", "c.go": "package util\n"},
			map[string][]string{"01-first": {"a.go"}, "02-second": {"util/c.go"}}, nil, 0},
		{"wrapped in a folder", map[string]string{"workbook-main/lessons/01-first/a.go": "package first\n"},
			map[string][]string{"01-first": {"a.go"}}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := t.TempDir()
			write(t, sub, tc.files)
			s, err := readSubmission(sub, root, ls)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for id, files := range s.files {
				for name := range files {
					got[id] = append(got[id], name)
				}
				sort.Strings(got[id])
			}
			if !reflect.DeepEqual(got, tc.lessons) {
				t.Errorf("files = %v, want %v", got, tc.lessons)
			}
			if !reflect.DeepEqual(s.ignored, tc.ignored) {
				t.Errorf("ignored = %q, want %q", s.ignored, tc.ignored)
			}
			if len(s.flags) != tc.flags {
				t.Errorf("flags = %+v", s.flags)
			}
		})
	}
}

// TestReadSubmissionRefusesOddPaths: a learner's path that is not plain
// folders ending in a regular file flags that lesson only; lesson 2's files
// are read all the same.
func TestReadSubmissionRefusesOddPaths(t *testing.T) {
	root, ls := fakeWorkbook(t)
	for _, tc := range []struct {
		name string
		make func(sub string) error
		want string
	}{
		{"a linked file", func(sub string) error {
			return os.Symlink("/etc/hostname", filepath.Join(sub, "lessons", "01-first", "a.go"))
		}, "goes through a link (lessons/01-first/a.go)"},
		{"a linked lesson folder", func(sub string) error {
			os.RemoveAll(filepath.Join(sub, "lessons", "01-first"))
			os.MkdirAll(filepath.Join(sub, "solutions", "01-first"), 0o755)
			os.WriteFile(filepath.Join(sub, "solutions", "01-first", "a.go"), []byte("package first\n"), 0o644)
			return os.Symlink("../solutions/01-first", filepath.Join(sub, "lessons", "01-first"))
		}, "goes through a link (lessons/01-first)"},
		{"a folder at the file's path", func(sub string) error {
			return os.MkdirAll(filepath.Join(sub, "lessons", "01-first", "a.go", "x.go"), 0o755)
		}, "is a folder, not a regular file"},
		{"a file at a folder's path", func(sub string) error {
			os.RemoveAll(filepath.Join(sub, "lessons", "01-first"))
			return os.WriteFile(filepath.Join(sub, "lessons", "01-first"), []byte("x"), 0o644)
		}, "has a file where the folder lessons/01-first should be"},
		{"a named pipe", func(sub string) error {
			return syscall.Mkfifo(filepath.Join(sub, "lessons", "01-first", "a.go"), 0o644)
		}, "is a named pipe, not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := t.TempDir()
			write(t, sub, map[string]string{"lessons/02-second/b.go": "package second\n", "lessons/02-second/util/c.go": "package util\n"})
			os.MkdirAll(filepath.Join(sub, "lessons", "01-first"), 0o755)
			if err := tc.make(sub); err != nil {
				t.Skip(err)
			}
			s, err := readSubmission(sub, root, ls)
			if err != nil {
				t.Fatal(err)
			}
			if s.files["01-first"] != nil || len(s.flags) != 1 || s.flags[0].Lesson != "01-first" || !strings.Contains(s.flags[0].Message, tc.want) {
				t.Errorf("files %v, flags %+v; want lesson 1 flagged: %q", s.files, s.flags, tc.want)
			}
			if len(s.files["02-second"]) != 2 {
				t.Errorf("lesson 2 was not read: %v", s.files)
			}
		})
	}
}

func TestScanFile(t *testing.T) {
	const head = "package x\n\nimport (\n"
	for _, tc := range []struct {
		name  string
		src   string
		kinds []string
		alone bool // must be built in a program of its own
	}{
		{"a plain answer", head + "\"github.com/jmoiron/sqlx\"\n)\nfunc F(db *sqlx.DB) error { _, err := db.Exec(`DELETE FROM t`); return err }\n", nil, false},
		{"the counted driver", head + "\"github.com/jmoiron/sqlx\"\n)\nvar driverName = \"sqlite3\"\nfunc Open(p string) (*sqlx.DB, error) { return sqlx.Open(driverName, p) }\n", nil, false},
		{"its own connection", head + "\"database/sql\"\n)\nfunc F() { sql.Open(\"sqlite3\", \"x.db\") }\n", []string{FlagOwnConnection}, false},
		{"sqlx connect, aliased", head + "db \"github.com/jmoiron/sqlx\"\n)\nfunc F() { db.MustConnect(\"sqlite3\", \"x.db\") }\n", []string{FlagOwnConnection}, false},
		{"the raw connection", head + "\"github.com/jmoiron/sqlx\"\n)\nfunc F(db *sqlx.DB) { c, _ := db.Conn(nil); c.Raw(nil) }\n", []string{FlagOwnConnection}, false},
		{"the bare driver", head + "\"github.com/mattn/go-sqlite3\"\n)\nvar d = &sqlite3.SQLiteDriver{}\n", []string{FlagOwnConnection}, false},
		{"sqlite3 errors are fine", head + "\"github.com/mattn/go-sqlite3\"\n)\nvar e sqlite3.Error\nvar c = sqlite3.ErrConstraintForeignKey\n", nil, false},
		// Refused by refusals, so not flagged here.
		{"unsafe and linkname", head + "_ \"unsafe\"\n)\n//go:linkname k workbook/checker.graded\nvar k int\n", nil, false},
		{"cgo", "package x\n\n// int f() { return 1; }\nimport \"C\"\n", nil, false},
		{"programs and network", head + "\"os/exec\"\n\"net/http\"\n)\n", []string{FlagSystem, FlagSystem}, false},
		{"files and exit", head + "\"os\"\n)\nfunc init() { os.ReadFile(\"/proc/self/environ\"); os.Exit(0) }\n", []string{FlagFiles, FlagProcess, FlagProcess}, true},
		{"the checker", head + "\"workbook/checker\"\n)\nvar _ = checker.DriverName\n", []string{FlagWorkbook}, false},
		{"does not parse", "package x\nfunc {", nil, true},
		{"package variables that run nothing", head + "\"errors\"\n\"regexp\"\n)\nvar (\n\tErrX = errors.New(\"x\")\n\tre = regexp.MustCompile(`a+`)\n\tm = make(map[int64]int)\n\tf = func() int { return 1 }\n\tn = int64(len(\"abc\")) * 2\n)\n", nil, false},
		{"a package variable set by a call", head + "\"os\"\n)\nvar home = os.Getenv(\"HOME\")\n", []string{FlagProcess}, true},
		{"a function literal called", "package x\nvar broken = func() int { panic(1) }()\n", nil, true},
		{"a call of its own", "package x\nvar v = setup()\nfunc setup() int { return 1 }\n", nil, true},
		{"a Stringer run by fmt at init", head + "\"fmt\"\n)\ntype T int\nfunc (T) String() string { panic(1) }\nvar y T\nvar x = fmt.Sprintf(\"%v\", y)\n", nil, true},
		{"fmt with constants", head + "\"fmt\"\n)\nconst n = 3\nvar x = fmt.Sprintf(\"%d rows\", n)\n", nil, false},
		// Found by an attack on the grader: each ran the learner's code as
		// the shared program started, in every classmate's process.
		{"a builtin's name declared by the file", "package x\nfunc len(s string) int { return 1 }\nvar n = len(\"x\")\n", nil, true},
		{"a conversion's name declared by the file", "package x\nfunc string(n int) int { return n }\nvar n = string(1)\n", nil, true},
		{"fmt on a value with a String method", head + "\"fmt\"\n)\ntype s struct{}\nfunc (s) String() string { return \"\" }\nvar x = fmt.Sprintf(\"%v\", s{})\n", nil, true},
		{"fmt on a typed constant", head + "\"fmt\"\n)\ntype k int\nfunc (k) String() string { return \"\" }\nconst c k = 1\nvar x = fmt.Sprintf(\"%v\", c)\n", nil, true},
		{"errors wrapping a value with an Error method", head + "\"fmt\"\n)\ntype e struct{}\nfunc (e) Error() string { return \"\" }\nvar x = fmt.Errorf(\"w: %w\", e{})\n", nil, true},
		{"a huge make", "package x\nvar b = make([]byte, 1<<36)\n", nil, true},
		{"a small make", "package x\nvar b = make([]byte, 64)\n", nil, false},
		{"a field of a variable", "package x\ntype T struct{ N int }\nvar p *T\nvar n = p.N\n", nil, true},
		{"an index", "package x\nvar s []int\nvar n = s[3]\n", nil, true},
		{"a regexp that does not compile", head + "\"regexp\"\n)\nvar re = regexp.MustCompile(`(`)\n", nil, true},
		{"composite literals of constants", head + "\"time\"\n)\ntype T struct{ N int; D time.Duration }\nvar ts = []T{{N: 1, D: time.Second}, {N: -2}}\nvar m = map[string]*T{\"a\": &T{N: 1}}\n", nil, false},
		{"a local variable set by a call", head + "\"os\"\n)\nfunc F() string { var h = os.Args[0]; return h }\n", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flags, alone := scanFile("lessons/x/f.go", []byte(tc.src))
			var kinds []string
			for _, f := range flags {
				kinds = append(kinds, f.Kind)
				if f.File != "lessons/x/f.go" || f.Line == 0 || f.Message == "" {
					t.Errorf("flag without its place: %+v", f)
				}
			}
			sort.Strings(kinds)
			want := append([]string(nil), tc.kinds...)
			sort.Strings(want)
			if !reflect.DeepEqual(kinds, want) || alone != tc.alone {
				t.Errorf("kinds %v, alone %v; want %v, %v (%+v)", kinds, alone, want, tc.alone, flags)
			}
		})
	}
}

func TestAllowedImport(t *testing.T) {
	lessonAllows := map[string]bool{"example.com/extra": true}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"fmt", true}, {"database/sql", true}, {"math/big", true},
		{"github.com/jmoiron/sqlx", true}, {"github.com/mattn/go-sqlite3", true}, {"example.com/extra", true},
		{"workbook", false}, {"workbook/checker", false}, {"workbook/gradebatch/u0001", false},
		{"C", false}, {"github.com/other/pkg", false}, {"golang.org/x/sys/unix", false},
	} {
		if got := allowedImport(tc.path, "workbook", lessonAllows); got != tc.ok {
			t.Errorf("allowedImport(%q) = %v, want %v", tc.path, got, tc.ok)
		}
	}
}

func TestPlanLesson(t *testing.T) {
	for _, tc := range []struct {
		name     string
		files    map[string]string
		tests    []string
		foldable bool
		others   []string
		xtests   []string
	}{
		{"checks in the package", map[string]string{
			"check_test.go": "package first\nimport \"testing\"\nfunc TestA(t *testing.T) {}\nfunc TestB(t *testing.T) {}\nfunc Testlower(t *testing.T) {}\nfunc TestC(b *testing.B) {}\nfunc helper(t *testing.T) {}\n",
			"types.go":      "package first\ntype T int\n",
		}, []string{"TestA", "TestB"}, true, []string{"types.go"}, nil},
		{"an external test package", map[string]string{"check_test.go": "package first_test\nimport \"testing\"\nfunc TestA(t *testing.T) {}\n"}, nil, true, nil, []string{"TestA"}},
		{"both", map[string]string{
			"check_test.go": "package first_test\nimport \"testing\"\nfunc TestB(t *testing.T) {}\n",
			"setup_test.go": "package first\nimport \"testing\"\nfunc TestA(t *testing.T) {}\n",
		}, []string{"TestA"}, true, nil, []string{"TestB"}},
		{"a TestMain", map[string]string{"check_test.go": "package first\nimport \"testing\"\nfunc TestMain(m *testing.M) {}\nfunc TestA(t *testing.T) {}\n"}, []string{"TestA"}, false, nil, nil},
		{"embedded files", map[string]string{"check_test.go": "package first\nimport (\n\"testing\"\n_ \"embed\"\n)\n//go:embed q.sql\nvar q string\nfunc TestA(t *testing.T) {}\n"}, []string{"TestA"}, false, nil, nil},
		{"no tests", map[string]string{"check_test.go": "package first\n"}, nil, false, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{
				"lessons/01-first/lesson.json": `{"number": 1, "name": "first", "title": "First", "files": ["a.go"], "checks": [{"name": "one"}], "hints": ["h"]}`,
				"lessons/01-first/a.go":        "package first\n",
			}
			for n, c := range tc.files {
				files["lessons/01-first/"+n] = c
			}
			write(t, root, files)
			l, err := lesson.Load(filepath.Join(root, "lessons", "01-first"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := planLesson(l)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.tests, tc.tests) || !reflect.DeepEqual(p.xtests, tc.xtests) || p.foldable != tc.foldable || p.pkg != "first" || !reflect.DeepEqual(p.files, tc.others) {
				t.Errorf("plan = %+v", p)
			}
		})
	}
}

func TestBuildFailures(t *testing.T) {
	stream := `{"ImportPath":"wb/lessons/01-first","Action":"build-output","Output":"# wb/lessons/01-first\n"}
{"ImportPath":"wb/lessons/01-first","Action":"build-output","Output":"lessons/01-first/check_test_grade.go:9:2: undefined: Open\n"}
{"ImportPath":"wb/lessons/01-first","Action":"build-fail"}
{"ImportPath":"wb/gradermain","Action":"build-fail"}
not json
`
	got := buildFailures([]byte(stream))
	want := map[string][]string{
		"wb/lessons/01-first": {"lessons/01-first/check_test.go:9:2: undefined: Open"},
		"wb/gradermain":       {"the lesson did not build (go gave no message)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("buildFailures = %q", got)
	}
}

func TestCollect(t *testing.T) {
	l := &lesson.Lesson{Number: 7, Name: "n", Checks: []lesson.Check{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	pass := &protocol.Verdict{Check: "a", Status: protocol.StatusPass}
	fail := &protocol.Verdict{Check: "a", Status: protocol.StatusFail}
	check := func(name string, s protocol.Status, v *protocol.Verdict) runner.CheckOutcome {
		return runner.CheckOutcome{Check: lesson.Check{Name: name}, Status: s, Verdict: v, Started: s != CheckNotRun}
	}
	for _, tc := range []struct {
		name    string
		o       runner.Outcome
		status  LessonStatus
		checks  []CheckStatus
		flagged []string
	}{
		{"every verdict", runner.Outcome{Checks: []runner.CheckOutcome{
			check("a", CheckPass, pass), check("b", CheckFail, fail), check("c", CheckPass, pass)}},
			Graded, []CheckStatus{CheckPass, CheckFail, CheckPass}, nil},
		{"a crash in b", runner.Outcome{Checks: []runner.CheckOutcome{
			check("a", CheckPass, pass), check("b", CheckCrashed, nil), check("c", CheckNotRun, nil)}, Crash: []string{"panic: x"}},
			Crashed, []CheckStatus{CheckPass, CheckCrashed, CheckNotRun}, nil},
		{"stopped in b", runner.Outcome{Stopped: true, Checks: []runner.CheckOutcome{
			check("a", CheckPass, pass), check("b", CheckStopped, nil), check("c", CheckNotRun, nil)}, Crash: []string{"still going"}},
			Stopped, []CheckStatus{CheckPass, CheckStopped, CheckNotRun}, nil},
		{"forged records", runner.Outcome{Checks: []runner.CheckOutcome{
			check("a", CheckFail, fail), check("b", CheckPass, pass), check("c", CheckPass, pass)},
			Forged: runner.Forgery{Rejected: 2, Sample: "{}", Refused: []runner.Refusal{{Check: "b", Note: "called from report.go:3"}}, Repeated: []string{"a"}}},
			Graded, []CheckStatus{CheckFail, CheckPass, CheckPass},
			[]string{"check a gave a second verdict", "refused to run check b: called from report.go:3", "2 line(s) in the results"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Lesson = l
			r, flags := collect(&tc.o)
			var checks []CheckStatus
			for _, c := range r.Checks {
				checks = append(checks, c.Status)
			}
			if r.Status != tc.status || !reflect.DeepEqual(checks, tc.checks) {
				t.Errorf("status %s %v, want %s %v", r.Status, checks, tc.status, tc.checks)
			}
			if (r.Status == Graded) == (len(r.Output) > 0) && len(tc.o.Crash) > 0 {
				t.Errorf("output %q for status %s", r.Output, r.Status)
			}
			if len(flags) != len(tc.flagged) {
				t.Fatalf("flags = %+v, want %d", flags, len(tc.flagged))
			}
			for i, f := range flags {
				if f.Kind != FlagForged || !strings.Contains(f.Message, tc.flagged[i]) {
					t.Errorf("flag %d = %+v, want %q", i, f, tc.flagged[i])
				}
			}
		})
	}
}

func TestSnapshotNoticesAndUndoesChanges(t *testing.T) {
	root, _ := fakeWorkbook(t)
	s, err := takeSnapshot(root, []string{"go.mod", "lessons"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := s.changes(); err != nil || len(c) != 0 {
		t.Fatalf("changes before any = %v, %v", c, err)
	}
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module evil\n"), 0o644)
	os.Remove(filepath.Join(root, "lessons", "01-first", "check_test.go"))
	os.WriteFile(filepath.Join(root, "lessons", "02-second", "zz.go"), []byte("package second\n"), 0o644)
	os.WriteFile(filepath.Join(root, "README.md"), []byte("not watched\n"), 0o644)
	os.Mkdir(filepath.Join(root, "lessons", "03-empty"), 0o755) // a new folder, even empty, is a change
	os.RemoveAll(filepath.Join(root, "lessons", "02-second", "expected"))
	c, err := s.changes()
	want := []string{"go.mod (changed)", "lessons/01-first/check_test.go (removed)",
		"lessons/02-second/expected (removed)", "lessons/02-second/expected/x (removed)", "lessons/02-second/expected/x/y.json (removed)",
		"lessons/02-second/zz.go (added)", "lessons/03-empty (added)"}
	if err != nil || !reflect.DeepEqual(c, want) {
		t.Fatalf("changes = %q, %v; want %q", c, err, want)
	}
	if err := s.restore(); err != nil {
		t.Fatal(err)
	}
	if c, err := s.changes(); err != nil || len(c) != 0 {
		t.Errorf("changes after restore = %v, %v", c, err)
	}
}

// An edit to the instructor's copy while grading runs is the instructor's
// own when no graded program can reach the copy (sandboxed) or the code run
// is the author's (mutants): it is kept, never put back. Unsandboxed, a
// change may be a student's, and is found and undone.
func TestOwnChangesAreKept(t *testing.T) {
	for _, tt := range []struct {
		name            string
		bwrap           string
		trusted         bool
		wantKept        bool
		wantNote        bool
		wantChangesSeen bool
	}{
		{name: "sandboxed", bwrap: "/usr/bin/bwrap", wantKept: true, wantNote: true},
		{name: "the author's own mutants", trusted: true, wantKept: true},
		{name: "unsandboxed", wantChangesSeen: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "check_test.go")
			if err := os.WriteFile(file, []byte("before"), 0o644); err != nil {
				t.Fatal(err)
			}
			snap, err := takeSnapshot(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			g := &grader{bwrap: tt.bwrap, trusted: tt.trusted, watches: []*snapshot{snap}}
			if err := os.WriteFile(file, []byte("the instructor's edit"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := g.ownChanges(); err != nil {
				t.Fatal(err)
			}
			changes, err := g.changes()
			if err != nil {
				t.Fatal(err)
			}
			if got := len(changes) > 0; got != tt.wantChangesSeen {
				t.Errorf("changes seen = %v (%q), want %v", got, changes, tt.wantChangesSeen)
			}
			if got := len(g.notes) > 0; got != tt.wantNote {
				t.Errorf("noted = %v (%q), want %v", got, g.notes, tt.wantNote)
			}
			if tt.wantKept {
				if data, _ := os.ReadFile(file); string(data) != "the instructor's edit" {
					t.Errorf("the edit was not kept: %q", data)
				}
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	const head = "package x\n\nimport (\n"
	allows := map[string]bool{"example.com/extra": true, "unsafe": true} // a lesson's own import does not lift the denylist
	for _, tc := range []struct {
		name string
		src  string
		want []refusal // line, what and memory; why only checked not empty
	}{
		{"a plain answer", head + "\"fmt\"\n\"github.com/jmoiron/sqlx\"\n)\nfunc F(db *sqlx.DB) { fmt.Println(db) }\n", nil},
		{"unsafe", head + "\"unsafe\"\n)\n", []refusal{{line: 4, what: "unsafe", memory: true}}},
		{"unsafe, blank", head + "_ \"unsafe\"\n)\n", []refusal{{line: 4, what: "unsafe", memory: true}}},
		{"syscall", head + "\"syscall\"\n)\n", []refusal{{line: 4, what: "syscall", memory: true}}},
		{"runtime/debug", head + "\"runtime/debug\"\n)\n", []refusal{{line: 4, what: "runtime/debug", memory: true}}},
		{"runtime", head + "\"runtime\"\n)\n", []refusal{{line: 4, what: "runtime", memory: true}}},
		{"runtime/pprof is fine", head + "\"runtime/pprof\"\n)\n", nil},
		{"plugin", head + "\"plugin\"\n)\n", []refusal{{line: 4, what: "plugin", memory: true}}},
		{"runtime/cgo", head + "_ \"runtime/cgo\"\n)\n", []refusal{{line: 4, what: "runtime/cgo", memory: true}}},
		{"x/sys", head + "\"golang.org/x/sys/unix\"\n)\n", []refusal{{line: 4, what: "golang.org/x/sys/unix", memory: true}}},
		{"cgo", "package x\n\n// int f() { return 1; }\nimport \"C\"\n", []refusal{{line: 4, what: "C", memory: true}}},
		{"a classmate's package", head + "\"workbook/gradebatch/u0001\"\n)\n", []refusal{{line: 4, what: "workbook/gradebatch/u0001"}}},
		{"the lesson's own import", head + "\"example.com/extra\"\n)\n", nil},
		{"reflect", head + "\"reflect\"\n)\n", []refusal{{line: 4, what: "reflect"}}},
		{"database/sql/driver", head + "\"database/sql/driver\"\n)\n", []refusal{{line: 4, what: "database/sql/driver"}}},
		{"a dot import", head + ". \"os\"\n)\n", []refusal{{line: 4, what: `. "os"`}}},
		{"go-sqlite3's driver of one's own", head + "\"github.com/mattn/go-sqlite3\"\n)\nvar d = &sqlite3.SQLiteDriver{}\n", []refusal{{line: 6, what: "sqlite3.SQLiteDriver"}}},
		{"sql.Register, under another name", head + "q \"database/sql\"\n)\nvar r = q.Register\n", []refusal{{line: 6, what: "q.Register"}}},
		{"go-sqlite3's error types are fine", head + "\"github.com/mattn/go-sqlite3\"\n)\nvar e sqlite3.Error\n", nil},
		{"linkname", head + "_ \"embed\"\n)\n//go:linkname k workbook/checker.graded\nvar k int\n", []refusal{{line: 6, what: "//go:linkname", memory: true}}},
		{"embed", head + "_ \"embed\"\n)\n//go:embed check_test.go\nvar s string\n", []refusal{{line: 6, what: "//go:embed", memory: true}}},
		{"noinline", "package x\n//go:noinline\nfunc F() {}\n", []refusal{{line: 2, what: "//go:noinline", memory: true}}},
		{"build and generate", "//go:build linux\n\npackage x\n//go:generate echo\n", nil},
		{"a comment about a directive", "package x\n// do not use //go:linkname\nfunc F() {}\n", nil},
		{"a directive in a file that does not parse", "package x\n//go:linkname k x.y\nfunc {\n", []refusal{{line: 2, what: "//go:linkname", memory: true}}},
		{"in the order of the file", "package x\n//go:linkname k x.y\nimport \"unsafe\"\n", []refusal{{line: 2, what: "//go:linkname", memory: true}, {line: 3, what: "unsafe", memory: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := refusals([]byte(tc.src), "workbook", allows)
			for i := range got {
				if got[i].why == "" {
					t.Errorf("refusal without a reason: %+v", got[i])
				}
				got[i].why = ""
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("refusals = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestUniqueNames checks that a name made for a repeated submission never
// takes another submission's own name.
func TestUniqueNames(t *testing.T) {
	for _, tt := range []struct{ in, want []string }{
		{[]string{"alice", "alice-2", "alice"}, []string{"alice", "alice-2", "alice-3"}},
		{[]string{"alice", "alice", "alice-2"}, []string{"alice", "alice-3", "alice-2"}},
		{[]string{"bob", "bob", "bob"}, []string{"bob", "bob-2", "bob-3"}},
		{[]string{"a", "b"}, []string{"a", "b"}},
	} {
		var sources []Source
		for _, n := range tt.in {
			sources = append(sources, Source{Name: n})
		}
		if got := uniqueNames(sources); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("uniqueNames(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
