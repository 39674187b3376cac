package checker

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

// TestCutAndKeptResults checks that a result right on the data sets fails
// when the learner's query cuts it with a LIMIT, or when it was kept from an
// earlier call; LIMIT 1, and a check that allows limits, pass.
func TestCutAndKeptResults(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	limited := func(limit string, args ...any) func(*sqlx.DB) ([]expense, error) {
		return func(db *sqlx.DB) ([]expense, error) {
			var out []expense
			err := db.Select(&out, foodQuery+` ORDER BY e.amount_cents DESC, e.id `+limit, append([]any{"Food"}, args...)...)
			return out, err
		}
	}
	var kept []expense
	cached := func(db *sqlx.DB) ([]expense, error) {
		if kept != nil {
			return kept, nil
		}
		out, err := foodByAmount(db)
		kept = out
		return out, err
	}
	onlyBudget := Check{Name: foodCheck.Name, Data: []string{"budget"}, Budget: 1}
	for _, tt := range []struct {
		name    string
		check   Check
		learner func(*sqlx.DB) ([]expense, error)
		want    protocol.Status
		message string
	}{
		{"no LIMIT", foodCheck, foodByAmount, protocol.StatusPass, ""},
		{"LIMIT 10, more than Food has", foodCheck, limited("LIMIT 10"), protocol.StatusFail,
			"has LIMIT 10, and the lesson asks for every expense.\nThe LIMIT cuts the answer as soon as more than 10 qualify."},
		{"LIMIT ?", foodCheck, limited("LIMIT ?", 50), protocol.StatusFail, "has LIMIT ?, with 50"},
		{"a LIMIT in a subquery", foodCheck, func(db *sqlx.DB) ([]expense, error) {
			var out []expense
			err := db.Select(&out, foodQuery+` AND e.id IN (SELECT id FROM expenses ORDER BY id LIMIT ?) ORDER BY e.amount_cents DESC, e.id`, "Food", 1000)
			return out, err
		}, protocol.StatusFail, "has LIMIT ?, with 1000"},
		{"LIMIT 100 inside EXISTS", foodCheck, func(db *sqlx.DB) ([]expense, error) {
			var out []expense
			err := db.Select(&out, foodQuery+` AND EXISTS (SELECT 1 FROM users WHERE id = e.user_id LIMIT 100) ORDER BY e.amount_cents DESC, e.id`, "Food")
			return out, err
		}, protocol.StatusPass, ""},
		{"LIMIT 1 in a subquery", foodCheck, func(db *sqlx.DB) ([]expense, error) {
			var out []expense
			err := db.Select(&out, foodQuery+` AND 1 = (SELECT 1 FROM users ORDER BY id LIMIT 1) ORDER BY e.amount_cents DESC, e.id`, "Food")
			return out, err
		}, protocol.StatusPass, ""},
		{"an OFFSET of 0, which skips nothing", foodCheck, limited("LIMIT -1 OFFSET 0"), protocol.StatusPass, ""},
		{"an OFFSET of 1", foodCheck, limited("LIMIT -1 OFFSET 1"), protocol.StatusFail, "by the rows it skips or leaves out"},
		{"LIMIT 20 where the check allows limits", Check{Name: foodCheck.Name, Data: foodCheck.Data, Budget: 1, Limits: true},
			limited("LIMIT 20"), protocol.StatusPass, ""},
		{"kept from the run before", onlyBudget, cached, protocol.StatusFail,
			"but sent no statement to this run's database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			kept = nil
			v := cfg.run(tt.check, foodBody(tt.learner))
			if v.Status != tt.want {
				t.Fatalf("status %s, want %s: %+v", v.Status, tt.want, v.Failures)
			}
			var all strings.Builder
			for _, f := range v.Failures {
				all.WriteString(f.Message)
			}
			if !strings.Contains(all.String(), tt.message) {
				t.Errorf("no %q in:\n%s", tt.message, all.String())
			}
		})
	}
}

func TestStatementNoun(t *testing.T) {
	for _, tt := range []struct{ query, want string }{
		{"SELECT e.id, (SELECT u.name FROM users u WHERE u.id = e.user_id) AS owner FROM expenses e LIMIT 20", "expense"},
		{"SELECT * FROM users LIMIT 5", "user"},
		{"WITH totals AS (SELECT user_id FROM expenses) SELECT * FROM totals LIMIT 3", "row"},
		{"SELECT 1 LIMIT 2", "row"},
		{"SELECT c.name, sum(e.amount_cents) FROM users u JOIN expenses e ON e.user_id = u.id GROUP BY c.name LIMIT 10", "row"},
	} {
		if got := statementNoun(tt.query, "row"); got != tt.want {
			t.Errorf("statementNoun(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
