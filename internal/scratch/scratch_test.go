package scratch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMkdirTemp(t *testing.T) {
	dir, err := MkdirTemp("workbook-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if filepath.Dir(dir) != Dir() || !strings.HasPrefix(filepath.Base(dir), "workbook-test-") {
		t.Errorf("MkdirTemp made %s, not a workbook-test-… folder in %s", dir, Dir())
	}
	if err := os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o600); err != nil {
		t.Errorf("the folder cannot be written: %v", err)
	}
}
