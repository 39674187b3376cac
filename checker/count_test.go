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
