package checker

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

// TestResultKeptPerHandleFails checks that code which keeps its result per
// handle (a cache keyed by *sqlx.DB) is handed the same handle on the next
// data set, and fails there; that the right answer passes; and that a
// handle the learner's code closes is replaced for the runs after it.
func TestResultKeptPerHandleFails(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	if v := cfg.run(foodCheck, foodBody(foodByAmount)); !v.Passed() {
		t.Fatalf("the right answer: %+v", v.Failures)
	}

	kept := map[*sqlx.DB][]expense{}
	cached := func(db *sqlx.DB) ([]expense, error) {
		if r, ok := kept[db]; ok {
			return r, nil
		}
		r, err := foodByAmount(db)
		kept[db] = r
		return r, err
	}
	v := cfg.run(foodCheck, foodBody(cached))
	if v.Status != protocol.StatusFail || len(v.Failures) == 0 || v.Failures[0].Data != "budget-variant" {
		t.Fatalf("a result kept per handle: %s %+v; want a failure on budget-variant", v.Status, v.Failures)
	}

	closing := func(db *sqlx.DB) ([]expense, error) {
		defer db.Close()
		return foodByAmount(db)
	}
	if v := cfg.run(foodCheck, foodBody(closing)); !v.Passed() {
		t.Fatalf("code that closes the handle it is given, on every data set: %+v", v.Failures)
	}
	if v := cfg.run(foodCheck, foodBody(foodByAmount)); !v.Passed() {
		var all strings.Builder
		for _, f := range v.Failures {
			all.WriteString(f.Message)
		}
		t.Fatalf("the right answer after a run that closed the handle:\n%s", all.String())
	}
}
