package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/lesson"
)

func TestNamesInLessonPackage(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "lessons", "01-first")
	files := map[string]string{
		"lesson.json":    `{"number": 1, "name": "first", "title": "First", "files": ["a.go"], "checks": [{"name": "one"}], "hints": ["h"]}`,
		"a.go":           "package first\n\nvar driverName = \"sqlite3\"\n",
		"check_test.go":  "package first_test\n\nvar data, count = 1, 2\n\ntype logRow struct{}\n",
		"driver_test.go": "package first\n\nfunc init() { driverName = \"x\" }\n",
		"helper_test.go": "package first\n\nimport \"testing\"\n\nvar data = 1\n\nfunc TestA(t *testing.T) {}\n",
		"blank_test.go":  "package first\n\nimport _ \"embed\"\n\nfunc init() {}\n",
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := lesson.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := namesInLessonPackage(l)
	if len(got) != 1 || !strings.HasPrefix(got[0], "helper_test.go declares testing (an import), data, TestA in the lesson's package first") {
		t.Errorf("namesInLessonPackage = %q; want one problem, for helper_test.go's import, data and TestA", got)
	}
}
