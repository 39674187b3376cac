package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitCalls(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.go")
	src := `package report

import (
	"log"
	"os"
)

var logger = log.Default()

func Report() {
	if len(os.Args) > 5 {
		os.Exit(2)
	}
	defer log.Println("not an exit")
	logger.Fatalf("bad: %d", 1)
	log.Fatal("bad")
}
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.go")
	if err := os.WriteFile(broken, []byte("package report\nfunc {"), 0o644); err != nil {
		t.Fatal(err)
	}
	calls := exitCalls([]string{broken, file})
	var got []string
	for _, c := range calls {
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(c.Pos.Filename), c.Pos.Line, c.Func))
	}
	want := "report.go:12 os.Exit, report.go:15 logger.Fatalf, report.go:16 log.Fatal"
	if strings.Join(got, ", ") != want {
		t.Errorf("exitCalls = %s, want %s", strings.Join(got, ", "), want)
	}
	note := exitNote(calls, filepath.Base)
	for _, part := range []string{"    report.go:12: os.Exit\n", "os.Exit ends the whole program"} {
		if !strings.Contains(note, part) {
			t.Errorf("the note lacks %q:\n%s", part, note)
		}
	}
	if exitNote(nil, filepath.Base) != "" {
		t.Error("a note with no calls")
	}
}
