package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
)

// resetBench is a workbook in a temporary folder with one lesson, 07-x, whose
// learner edits a.go, and another lesson's file that reset must not touch.
type resetBench struct {
	e      *env
	l      *lesson.Lesson
	st     *progress.State
	out    *strings.Builder
	root   string
	file   string // lessons/07-x/a.go
	other  string // lessons/04-y/b.go
	backup string // .workbook/backup/07-x
}

const (
	shippedText = "package x // as shipped\n"
	learnerText = "package x // the learner's work\n"
)

func newResetBench(t *testing.T) *resetBench {
	t.Helper()
	root := t.TempDir()
	b := &resetBench{root: root, out: new(strings.Builder)}
	b.file = filepath.Join(root, "lessons", "07-x", "a.go")
	b.other = filepath.Join(root, "lessons", "04-y", "b.go")
	b.backup = filepath.Join(root, ".workbook", "backup", "07-x")
	writeFile(t, filepath.Join(root, lesson.ShippedDir, "07-x", "a.go"), shippedText)
	writeFile(t, b.file, learnerText)
	writeFile(t, b.other, learnerText)
	b.l = &lesson.Lesson{Number: 7, Name: "x", Files: []string{"a.go"}, Dir: filepath.Dir(b.file)}
	b.e = &env{stdout: b.out, stderr: b.out, root: root, shell: shell{cwd: root, self: "workbook"}, lessons: []*lesson.Lesson{b.l}}
	st, err := progress.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	st.Record("07-x", true, time.Date(2025, 2, 28, 10, 0, 0, 0, time.UTC))
	b.st = st
	return b
}

func TestResetLesson(t *testing.T) {
	now := time.Date(2025, 3, 1, 14, 5, 9, 0, time.UTC)
	tests := []struct {
		name        string
		prepare     func(t *testing.T, b *resetBench)
		answer      bool
		wantAsked   bool
		wantResult  resetResult
		wantFile    string // "" for missing
		wantBackups []string
		wantPassed  bool
		wantOut     string
	}{
		{
			name:        "yes: the shipped file is back and the learner's is kept",
			answer:      true,
			wantAsked:   true,
			wantResult:  resetDone,
			wantFile:    shippedText,
			wantBackups: []string{"20250301-140509/a.go"},
			wantOut:     "Reset lessons/07-x/a.go to the shipped version; yours is in .workbook/backup/07-x/20250301-140509/a.go",
		},
		{
			name:       "no: nothing changes",
			answer:     false,
			wantAsked:  true,
			wantResult: resetDeclined,
			wantFile:   learnerText,
			wantPassed: true,
			wantOut:    "Not reset: nothing was changed.",
		},
		{
			name:       "a file already as shipped is not asked about",
			prepare:    func(t *testing.T, b *resetBench) { writeFile(t, b.file, shippedText) },
			answer:     true,
			wantResult: resetUnneeded,
			wantFile:   shippedText,
			wantPassed: true,
			wantOut:    "lessons/07-x/a.go is already as shipped: nothing to reset.",
		},
		{
			name:       "a missing file is put back, with nothing to keep",
			prepare:    func(t *testing.T, b *resetBench) { os.Remove(b.file) },
			answer:     true,
			wantAsked:  true,
			wantResult: resetDone,
			wantFile:   shippedText,
			wantOut:    "Put back lessons/07-x/a.go, which was missing",
		},
		{
			name: "a second reset in the same second keeps both versions",
			prepare: func(t *testing.T, b *resetBench) {
				writeFile(t, filepath.Join(b.backup, "20250301-140509", "a.go"), "package x // an earlier version\n")
			},
			answer:      true,
			wantAsked:   true,
			wantResult:  resetDone,
			wantFile:    shippedText,
			wantBackups: []string{"20250301-140509/a.go", "20250301-140509-2/a.go"},
			wantOut:     "yours is in .workbook/backup/07-x/20250301-140509-2/a.go",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newResetBench(t)
			if tt.prepare != nil {
				tt.prepare(t, b)
			}
			asked := ""
			res, err := b.e.resetLesson(b.l, b.st, func(q string) bool { asked = q; return tt.answer }, now)
			if err != nil {
				t.Fatal(err)
			}
			if res != tt.wantResult {
				t.Errorf("result = %v, want %v", res, tt.wantResult)
			}
			if (asked != "") != tt.wantAsked {
				t.Errorf("asked %q, want a question: %v", asked, tt.wantAsked)
			}
			if tt.wantAsked && !strings.Contains(asked, "Reset lessons/07-x/a.go to the shipped version? Yours is kept in .workbook/backup/07-x/") {
				t.Errorf("question = %q", asked)
			}
			if got := readFile(t, b.file); got != tt.wantFile {
				t.Errorf("the learner's file holds %q, want %q", got, tt.wantFile)
			}
			if got := readFile(t, b.other); got != learnerText {
				t.Errorf("another lesson's file was touched: %q", got)
			}
			var backups []string
			filepath.WalkDir(b.backup, func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(b.backup, path)
					backups = append(backups, filepath.ToSlash(rel))
				}
				return nil
			})
			if strings.Join(backups, " ") != strings.Join(tt.wantBackups, " ") {
				t.Errorf("backups = %v, want %v", backups, tt.wantBackups)
			}
			for _, rel := range backups {
				if rel == "20250301-140509/a.go" && len(tt.wantBackups) == 1 && readFile(t, filepath.Join(b.backup, rel)) != learnerText {
					t.Errorf("the backup does not hold the learner's version")
				}
			}
			if got := b.st.Passed("07-x"); got != tt.wantPassed {
				t.Errorf("passed = %v, want %v", got, tt.wantPassed)
			}
			if !strings.Contains(b.out.String(), tt.wantOut) {
				t.Errorf("output:\n%s\nwant it to contain %q", b.out, tt.wantOut)
			}
		})
	}
}

func TestResetWithoutAShippedCopy(t *testing.T) {
	b := newResetBench(t)
	os.RemoveAll(filepath.Join(b.root, lesson.ShippedDir))
	_, err := b.e.resetLesson(b.l, b.st, func(string) bool { t.Error("asked"); return true }, time.Now())
	if err == nil || !strings.Contains(err.Error(), "workbook dev shipped 7") {
		t.Errorf("err = %v, want one that says how to make the copy", err)
	}
	if got := readFile(t, b.file); got != learnerText {
		t.Errorf("the learner's file was changed: %q", got)
	}
}

func TestIsYes(t *testing.T) {
	for answer, want := range map[string]bool{"y\n": true, "Yes": true, " y ": true, "": false, "n\n": false, "no": false, "yep": false} {
		if got := isYes(answer); got != want {
			t.Errorf("isYes(%q) = %v, want %v", answer, got, want)
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
