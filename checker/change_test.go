package checker

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/checker/rowdiff"
	"workbook/internal/protocol"
)

// TestSwapFindsKeptResults checks that a result read again after the check
// swapped two values passes, and one kept from the first call fails with
// the swap named, however the cache is keyed: on nothing, or on the
// count, the largest id and the sum of the swapped column, which the swap
// leaves as they were.
func TestSwapFindsKeptResults(t *testing.T) {
	cfg := testConfig(t)
	all := func(db *sqlx.DB) ([]expense, error) {
		var out []expense
		err := db.Select(&out, `SELECT e.id, e.description, e.amount_cents, u.name AS owner
			FROM expenses e JOIN users u ON u.id = e.user_id ORDER BY e.id`)
		return out, err
	}
	check := Check{Name: "fresh", Data: []string{"budget", "budget-variant"}, Budget: 4}
	body := func(f func(*sqlx.DB) ([]expense, error)) func(*C) {
		return func(c *C) {
			first, err := f(c.DB())
			c.NoError(err, "All(db)")
			c.Expect(first, Ordered, Noun("expense"), Named("before"))
			c.Swap("expenses", "amount_cents", "user_id", "category_id")
			again, err := f(c.DB())
			c.NoError(err, "All(db), called again")
			c.Expect(again, Ordered, Noun("expense"), Named("after"))
		}
	}
	cfg.update = true
	if v := cfg.run(check, body(all)); !v.Passed() {
		t.Fatalf("writing expected results: %+v", v.Failures)
	}
	cfg.update = false

	var kept []expense
	cached := func(db *sqlx.DB) ([]expense, error) {
		if kept != nil {
			return kept, nil
		}
		out, err := all(db)
		kept = out
		return out, err
	}
	type key struct{ n, max, sum int64 }
	var keptKey key
	fingerprinted := func(db *sqlx.DB) ([]expense, error) {
		var k key
		if err := db.QueryRow(`SELECT count(*), max(id), sum(amount_cents) FROM expenses`).Scan(&k.n, &k.max, &k.sum); err != nil {
			return nil, err
		}
		if kept != nil && k == keptKey {
			return kept, nil
		}
		out, err := all(db)
		kept, keptKey = out, k
		return out, err
	}
	for _, tt := range []struct {
		name    string
		learner func(*sqlx.DB) ([]expense, error)
		want    protocol.Status
	}{
		{"read each call", all, protocol.StatusPass},
		{"kept from the first call", cached, protocol.StatusFail},
		{"kept while count, max(id) and sum stay", fingerprinted, protocol.StatusFail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			kept, keptKey = nil, key{}
			v := cfg.run(check, body(tt.learner))
			if v.Status != tt.want {
				t.Fatalf("status %s, want %s: %+v", v.Status, tt.want, v.Failures)
			}
			if tt.want == protocol.StatusPass {
				return
			}
			var msgs strings.Builder
			for _, f := range v.Failures {
				msgs.WriteString(f.Message)
			}
			for _, want := range []string{"swapped their amount_cents", "returned the same expenses after the change as before it"} {
				if !strings.Contains(msgs.String(), want) {
					t.Errorf("no %q in:\n%s", want, msgs.String())
				}
			}
		})
	}
}

// TestResultKeptFromAnotherRun checks that a wrong result that is what the
// learner's code returned on another data set, kept under a key that does
// not tell the databases apart (here the handle, which the checks keep from
// run to run), is said to be that.
func TestResultKeptFromAnotherRun(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	kept := map[*sqlx.DB][]expense{}
	byHandle := func(db *sqlx.DB) ([]expense, error) {
		if out, ok := kept[db]; ok {
			db.Exec(`SELECT 1`) // looks busy: a statement is sent
			return out, nil
		}
		out, err := foodByAmount(db)
		kept[db] = out
		return out, err
	}
	v := cfg.run(foodCheck, foodBody(byHandle))
	if v.Status != protocol.StatusFail {
		t.Fatalf("status %s, want fail: %+v", v.Status, v.Failures)
	}
	var msgs strings.Builder
	for _, f := range v.Failures {
		msgs.WriteString(f.Message)
	}
	if want := "This is, row for row, what ExpensesInCategory(db, \"Food\") returned in the run of food-by-amount on budget"; !strings.Contains(msgs.String(), want) {
		t.Errorf("no %q in:\n%s", want, msgs.String())
	}
}

// TestChildrenKeptFromAnotherRun checks that a wrong result whose parents
// are this data set's but whose nested rows all come from what the code
// returned on another data set is said to be that, and that one whose
// nested rows all belong here is not.
func TestChildrenKeptFromAnotherRun(t *testing.T) {
	parse := func(s string) any {
		v, err := rowdiff.Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	c := &C{cfg: &config{}, data: "budget-100"}
	c.cfg.returned.add(returnedResult{check: "report-10-users", data: "budget-10",
		value: parse(`[{"ID": 1, "Expenses": [{"ID": 1, "AmountCents": 5}, {"ID": 2, "AmountCents": 7}]}]`)})
	want := parse(`[{"ID": 1, "Expenses": [{"ID": 1, "AmountCents": 5}]}, {"ID": 3, "Expenses": [{"ID": 9, "AmountCents": 1}]}]`)
	kept := parse(`[{"ID": 1, "Expenses": [{"ID": 1, "AmountCents": 5}, {"ID": 2, "AmountCents": 7}]}, {"ID": 3, "Expenses": null}]`)
	if why := c.keptChildrenNote(kept, want); !strings.Contains(why, "run of report-10-users on budget-10") {
		t.Errorf("kept children: note %q", why)
	}
	own := parse(`[{"ID": 1, "Expenses": [{"ID": 1, "AmountCents": 5}]}, {"ID": 3, "Expenses": null}]`)
	if why := c.keptChildrenNote(own, want); why != "" {
		t.Errorf("children of this data set: note %q, want none", why)
	}
}

// TestParentsKeptFromAnotherRun checks that a wrong result whose rows, their
// own fields, all come from what the code returned on another data set (a
// list of users kept from the first call, their expenses read again) is
// said to be that, and that one whose rows all belong here is not.
func TestParentsKeptFromAnotherRun(t *testing.T) {
	parse := func(s string) any {
		v, err := rowdiff.Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	c := &C{cfg: &config{}, data: "budget-variant"}
	c.cfg.returned.add(returnedResult{check: "report-10-users", data: "budget-10",
		value: parse(`[{"ID": 1, "Name": "Alice", "Expenses": null}, {"ID": 2, "Name": "Bob", "Expenses": null}]`)})
	want := parse(`[{"ID": 1, "Name": "Wen", "Expenses": [{"ID": 4}]}, {"ID": 2, "Name": "Kofi", "Expenses": null}]`)
	kept := parse(`[{"ID": 1, "Name": "Alice", "Expenses": [{"ID": 4}]}, {"ID": 2, "Name": "Bob", "Expenses": null}]`)
	if why := c.keptParentsNote(kept, want); !strings.Contains(why, "run of report-10-users on budget-10") {
		t.Errorf("kept rows: note %q", why)
	}
	own := parse(`[{"ID": 1, "Name": "Wen", "Expenses": null}, {"ID": 2, "Name": "Kofi", "Expenses": null}]`)
	if why := c.keptParentsNote(own, want); why != "" {
		t.Errorf("rows of this data set: note %q, want none", why)
	}
}
