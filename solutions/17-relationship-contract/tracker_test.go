package relcontract

import (
	"bytes"
	"os"
	"testing"
)

// TestTrackerIsTheLessons: tracker.go is here only so that the solution
// compiles on its own; it must be the lesson's, word for word.
func TestTrackerIsTheLessons(t *testing.T) {
	here, err := os.ReadFile("tracker.go")
	if err != nil {
		t.Fatal(err)
	}
	lesson, err := os.ReadFile("../../lessons/17-relationship-contract/tracker.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(here, lesson) {
		t.Error("solutions/17-relationship-contract/tracker.go differs from the lesson's: copy lessons/17-relationship-contract/tracker.go over it")
	}
}
