package checker

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestSeededFileOpenedByLearnerIsRecorded opens a file of a seeded data/
// folder through go-sqlite3's own driver, as a learner's init computing an
// answer from data/budget.db does: the open is refused, and the note every
// check then gives names the file and the learner's line.
func TestSeededFileOpenedByLearnerIsRecorded(t *testing.T) {
	guardBareDriver()
	root := t.TempDir()
	data := filepath.Join(root, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	seeded := filepath.Join(data, "budget.db")
	if err := os.WriteFile(seeded, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	markSeeded(data)
	_, self, _, _ := runtime.Caller(0)
	old := bareOpens
	bareOpens = new(openRecord)
	defer func() { bareOpens = old }()

	db, err := sql.Open("sqlite3", "file:"+seeded+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err == nil { // the line the note must name
		t.Fatal("opening a seeded file through the bare driver was not refused")
	}
	cfg := &config{root: root, learnerFiles: []string{self}}
	note := bareOpens.note(cfg)
	want := regexp.MustCompile(`^Your code opened the seeded file data/budget.db itself,\nat .*bareopen_test.go:\d+ in TestSeededFileOpenedByLearnerIsRecorded, and was refused.\n`)
	if !want.MatchString(note) {
		t.Errorf("note =\n%s\nwant it to match %s", note, want)
	}
}
