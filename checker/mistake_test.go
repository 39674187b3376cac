package checker

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

// TestMistakeNote checks that a wrong result that has a named mistake's
// rows gets the mistake's explanation, and that no other result does.
func TestMistakeNote(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	const why = "every category whose name is Food in any mix of capitals"
	where := func(cond string) string {
		return strings.Replace(foodQuery, "c.name = ?", cond, 1)
	}
	learner := func(cond string) func(*sqlx.DB) ([]expense, error) {
		return func(db *sqlx.DB) ([]expense, error) {
			var out []expense
			err := db.Select(&out, where(cond)+` ORDER BY e.amount_cents DESC, e.id`, "Food")
			return out, err
		}
	}
	body := func(f func(*sqlx.DB) ([]expense, error), query string) func(*C) {
		return func(c *C) {
			got, err := f(c.DB())
			c.NoError(err, `ExpensesInCategory(db, "Food")`)
			c.Expect(got, Ordered, OrderBy("e.amount_cents DESC", "e.id"), Noun("expense"),
				Mistake("These are the expenses of "+why+".", query, "Food"))
		}
	}
	nocase := where("lower(c.name) = lower(?)")
	for _, tt := range []struct {
		name    string
		learner func(*sqlx.DB) ([]expense, error)
		query   string
		want    protocol.Status
		note    bool
	}{
		{"the right answer", foodByAmount, nocase, protocol.StatusPass, false},
		{"COLLATE NOCASE, the mistake named", learner("c.name = ? COLLATE NOCASE"), nocase, protocol.StatusFail, true},
		{"LIKE, the mistake named", learner("c.name LIKE ?"), nocase, protocol.StatusFail, true},
		{"another mistake", foodWithoutTheCheapest, nocase, protocol.StatusFail, false},
		{"the right rows in the wrong order", foodInIDOrder, nocase, protocol.StatusFail, false},
		{"another mistake's shape", learner("c.name LIKE ?"), where("c.name LIKE '%' || ? || '%'"), protocol.StatusFail, false},
		{"a query of the check's that fails", learner("c.name LIKE ?"), "SELECT nothing FROM nowhere", protocol.StatusBroken, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := cfg.run(foodCheck, body(tt.learner, tt.query))
			if v.Status != tt.want {
				t.Fatalf("status %s, want %s: %+v", v.Status, tt.want, v.Failures)
			}
			var all strings.Builder
			for _, f := range v.Failures {
				all.WriteString(f.Message)
			}
			if got := strings.Contains(all.String(), why); got != tt.note {
				t.Errorf("note given: %v, want %v:\n%s", got, tt.note, all.String())
			}
		})
	}
}
