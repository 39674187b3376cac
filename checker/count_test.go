package checker

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

func TestExpectStatementCount(t *testing.T) {
	tests := []struct {
		name      string
		run       func(*sqlx.DB) ([]expense, error)
		predicted int
		wantOK    bool
		want      []string // in the message, in this order
		wantNot   []string
	}{
		{name: "right", run: foodByAmount, predicted: 1, wantOK: true},
		{name: "right at 7", run: foodRowByRow, predicted: 7, wantOK: true},
		{
			name: "too low", run: foodRowByRow, predicted: 2,
			want: []string{
				"ExpensesInCategory(db, \"Food\") ran 7 statements, not 2 as predicted: the prediction is 5 too low.",
				"The statements it ran:",
				"  1. SELECT e.id FROM expenses e JOIN categories",
				"  7. SELECT e.id, e.description",
				"By shape (the same SQL with other values):",
				"6×  SELECT e.id, e.description",
			},
		},
		{
			name: "too low names the rounds of the loop", run: foodRowByRow, predicted: 6,
			want: []string{
				"the prediction is 1 too low.",
				"What a count that is too low usually leaves out:",
				"  - Statements 2–7 ran 6 times, in the loop over the 6 rows statement 1 returned:",
			},
			wantNot: []string{"too high", "never ran"},
		},
		{
			name: "too low names a query that found nothing", run: foodNoneThenFood, predicted: 1,
			want: []string{
				"the prediction is 1 too low.",
				"  - Statement 1 found no rows, and counts all the same",
			},
			wantNot: []string{"never ran"},
		},
		{
			name: "too high names the rounds answered from a map", run: foodOwnersCached, predicted: 8,
			want: []string{
				"the prediction is 2 too high.",
				"What a count that is too high usually counts that never ran:",
				"  - Statements 2–5 ran 4 times for the 6 rows statement 1 returned, not 6 times:",
				"    the other 2 rows were answered without a statement (from values the code had already loaded).",
			},
			wantNot: []string{"too low", "leaves out"},
		},
		{
			name: "too high", run: foodByAmount, predicted: 3,
			want: []string{
				"ran 1 statement, not 3 as predicted: the prediction is 2 too high.",
				"  1. SELECT e.id, e.description",
			},
			// One statement: no shape repeats, so no grouping.
			wantNot: []string{"By shape"},
		},
		{
			name: "none ran", run: func(*sqlx.DB) ([]expense, error) { return nil, nil }, predicted: 4,
			want:    []string{"ran 0 statements, not 4 as predicted: the prediction is 4 too high."},
			wantNot: []string{"The statements it ran"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			var ok bool
			v := cfg.run(Check{Name: "predict", Data: []string{"budget"}}, func(c *C) {
				_, err := tt.run(c.DB())
				c.NoError(err, "ExpensesInCategory(db, \"Food\")")
				ok = c.ExpectStatementCount(tt.predicted, `ExpensesInCategory(db, "Food")`)
			})
			if ok != tt.wantOK {
				t.Errorf("ExpectStatementCount returned %v, want %v", ok, tt.wantOK)
			}
			if tt.wantOK {
				if !v.Passed() {
					t.Errorf("verdict = %s", describe(v))
				}
				return
			}
			if v.Status != protocol.StatusFail || v.Output != protocol.PartFail || len(v.Failures) != 1 {
				t.Fatalf("want one failure of the output, got %s", describe(v))
			}
			msg := v.Failures[0].Message
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("message lacks %q (or has it out of order):\n%s", w, msg)
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tt.wantNot {
				if strings.Contains(msg, w) {
					t.Errorf("message has %q:\n%s", w, msg)
				}
			}
		})
	}
}

// foodNoneThenFood asks for a category that has no expenses first.
func foodNoneThenFood(db *sqlx.DB) ([]expense, error) {
	var none []expense
	if err := db.Select(&none, `SELECT e.id FROM expenses e WHERE e.category_id = -1`); err != nil {
		return nil, err
	}
	return foodByAmount(db)
}

// foodOwnersCached loads each expense's owner once per user, keeping the
// names it has loaded in a map.
func foodOwnersCached(db *sqlx.DB) ([]expense, error) {
	var rows []struct {
		ID     int64 `db:"id"`
		UserID int64 `db:"user_id"`
	}
	if err := db.Select(&rows, `SELECT e.id, e.user_id FROM expenses e JOIN categories c ON c.id = e.category_id
		WHERE c.name = 'Food' ORDER BY e.amount_cents DESC, e.id`); err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, r := range rows {
		if _, ok := names[r.UserID]; ok {
			continue
		}
		var name string
		if err := db.Get(&name, `SELECT name FROM users WHERE id = ?`, r.UserID); err != nil {
			return nil, err
		}
		names[r.UserID] = name
	}
	return foodByAmount(db)
}
