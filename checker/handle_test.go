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

// TestConnectionLeftInUse: a read that returns with its transaction still
// open, or with rows never closed, fails though its result is right.
func TestConnectionLeftInUse(t *testing.T) {
	const query = `SELECT e.id, e.description, e.amount_cents, u.name AS owner
		FROM expenses e JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id
		WHERE c.name = ? ORDER BY e.amount_cents DESC, e.id`
	tests := []struct {
		name string
		code func(db *sqlx.DB) ([]expense, error)
		want string
	}{
		{"a transaction never ended", func(db *sqlx.DB) ([]expense, error) {
			tx, err := db.Beginx()
			if err != nil {
				return nil, err
			}
			var out []expense
			return out, tx.Select(&out, query, "Food")
		}, "returned with its transaction still open"},
		{"rows never closed", func(db *sqlx.DB) ([]expense, error) {
			rows, err := db.Queryx(query, "Food")
			if err != nil {
				return nil, err
			}
			var out []expense
			for len(out) < 6 && rows.Next() { // stops before Next says false
				var e expense
				if err := rows.StructScan(&e); err != nil {
					return nil, err
				}
				out = append(out, e)
			}
			return out, nil
		}, "returned with a connection still in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			withExpected(t, cfg)
			v := cfg.run(Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 1}, foodBody(tt.code))
			if v.Passed() || !strings.Contains(describe(v), tt.want) {
				t.Errorf("want a failure with %q, got:\n%s", tt.want, describe(v))
			}
		})
	}
}
