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

// taggedExpense is expense with json tags that rename its fields: what the
// checker compares changes with them.
type taggedExpense struct {
	ID          int64  `db:"id" json:"id"`
	Description string `db:"description" json:"description"`
	AmountCents int64  `db:"amount_cents" json:"amount_cents"`
	Owner       string `db:"owner" json:"owner"`
}

// TestOwnJSONNote: a result whose type changes its JSON form is told so,
// and no mistake is named for it, since a mistake's rows read into that
// type would change the same way.
func TestOwnJSONNote(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	const note = "your type changes it"
	for _, tagged := range []bool{false, true} {
		v := cfg.run(foodCheck, func(c *C) {
			var got any
			var err error
			if tagged {
				var rows []taggedExpense
				err = c.DB().Select(&rows, foodQuery+` ORDER BY e.amount_cents DESC, e.id`, "Food")
				got = rows
			} else {
				got, err = foodWithoutTheCheapest(c.DB())
			}
			c.NoError(err, `ExpensesInCategory(db, "Food")`)
			c.Expect(got, Ordered, OrderBy("e.amount_cents DESC", "e.id"), Noun("expense"),
				Mistake("These are the expenses of a mistake.", foodQuery+` ORDER BY e.amount_cents DESC, e.id`, "Food"))
		})
		if v.Status != protocol.StatusFail || len(v.Failures) == 0 {
			t.Fatalf("tagged %v: status %s, want fail", tagged, v.Status)
		}
		msg := v.Failures[0].Message
		if strings.Contains(msg, note) != tagged {
			t.Errorf("tagged %v: the note %q given: %v\n%s", tagged, note, !tagged, msg)
		}
		if tagged && strings.Contains(msg, "a mistake") {
			t.Errorf("a mistake was named for a type that changes its JSON:\n%s", msg)
		}
	}
}
