package grade

import (
	"os"
	"path/filepath"
	"testing"

	"workbook/internal/protocol"
)

// TestHarvest: what a calibration run wrote is split between the expected
// results of the fresh sets, which replace the variant's, and the data
// sets it generated, which are kept for the students' runs and never taken
// for expected results.
func TestHarvest(t *testing.T) {
	folder := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(folder, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("report/budget-variant.json", "[1]")
	write(protocol.UpdateGenerated+"/budget-50000.db", "SQLite format 3")
	g := &grader{
		fresh: map[string]bool{"budget-variant": true},
		expected: map[string]map[string][]byte{"15-capstone": {
			"report/budget-variant.json": []byte("[0]"),
			"report/budget.json":         []byte("[2]"),
		}},
	}
	u := &unit{lesson: "15-capstone", calibrating: true}
	if err := g.harvest(u, folder); err != nil {
		t.Fatal(err)
	}
	exp := g.expected["15-capstone"]
	if got := string(exp["report/budget-variant.json"]); got != "[1]" {
		t.Errorf("the fresh set's expected result is %q, want the one the run wrote", got)
	}
	if got := string(exp["report/budget.json"]); got != "[2]" {
		t.Errorf("a shipped set's expected result is %q, want it kept", got)
	}
	if len(exp) != 2 {
		t.Errorf("expected results %v: the generated set was taken for one", keys(exp))
	}
	if got := string(u.generated["budget-50000"]); got != "SQLite format 3" {
		t.Errorf("the generated set is %q, want what the run wrote", got)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
