package checker

import (
	"sort"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

// categoryTotal is a row of the category totals the tests below ask for,
// ordered by category name.
type categoryTotal struct {
	Category string `db:"category"`
	Cents    int64  `db:"cents"`
}

const totalsQuery = `SELECT c.name AS category, sum(e.amount_cents) AS cents
	FROM expenses e JOIN categories c ON c.id = e.category_id GROUP BY c.name`

var totalsCheck = Check{Name: "category-totals", Data: []string{"budget", "budget-variant"}, Budget: 1}

func totalsBody(f func(*sqlx.DB) ([]categoryTotal, error)) func(*C) {
	return func(c *C) {
		got, err := f(c.DB())
		c.NoError(err, "CategoryTotals(db)")
		c.Expect(got, Ordered, OrderBy("category"), Noun("category"))
	}
}

func selectTotals(query string) func(*sqlx.DB) ([]categoryTotal, error) {
	return func(db *sqlx.DB) ([]categoryTotal, error) {
		var out []categoryTotal
		err := db.Select(&out, query)
		return out, err
	}
}

// TestOpenOrdersTurnedRound checks that an order SQLite gives by luck, which
// PRAGMA reverse_unordered_selects does not change (a GROUP BY's sorted
// groups), fails, and that an order the learner decides, in SQL or in Go,
// passes.
func TestOpenOrdersTurnedRound(t *testing.T) {
	cfg := testConfig(t)
	cfg.update = true
	if v := cfg.run(totalsCheck, totalsBody(selectTotals(totalsQuery+" ORDER BY c.name"))); !v.Passed() {
		t.Fatalf("writing expected results: %+v", v.Failures)
	}
	cfg.update = false
	sortedInGo := func(db *sqlx.DB) ([]categoryTotal, error) {
		out, err := selectTotals(totalsQuery)(db)
		sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
		return out, err
	}
	for _, tt := range []struct {
		name     string
		learner  func(*sqlx.DB) ([]categoryTotal, error)
		want     protocol.Status
		messages []string
	}{
		{"ORDER BY", selectTotals(totalsQuery + " ORDER BY c.name"), protocol.StatusPass, nil},
		{"ORDER BY a column number", selectTotals(totalsQuery + " ORDER BY 1"), protocol.StatusPass, nil},
		{"sorted in Go", sortedInGo, protocol.StatusPass, nil},
		{"GROUP BY alone", selectTotals(totalsQuery), protocol.StatusFail, []string{
			"right categories, wrong order",
			"has no ORDER BY",
			"Say the order: ORDER BY category.",
		}},
		{"GROUP BY in a subquery", selectTotals("SELECT * FROM (" + totalsQuery + ")"), protocol.StatusFail, []string{
			"has no ORDER BY",
		}},
		{"ORDER BY in a subquery only", selectTotals("SELECT * FROM (" + totalsQuery + " ORDER BY c.name)"), protocol.StatusFail, []string{
			"its only ORDER BY is inside parentheses",
			"Put the ORDER BY at the end of",
		}},
		{"ORDER BY in a WITH table only", selectTotals("WITH t AS (" + totalsQuery + " ORDER BY c.name) SELECT * FROM t"), protocol.StatusFail, []string{
			"its only ORDER BY is inside parentheses",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := cfg.run(totalsCheck, totalsBody(tt.learner))
			if v.Status != tt.want {
				t.Fatalf("status %s, want %s: %+v", v.Status, tt.want, v.Failures)
			}
			var all strings.Builder
			for _, f := range v.Failures {
				all.WriteString(f.Message)
				if !f.OrderOnly || f.VariantOnly {
					t.Errorf("failure on %s: OrderOnly %v, VariantOnly %v; want an order-only failure with no variant note", f.Data, f.OrderOnly, f.VariantOnly)
				}
			}
			for _, m := range tt.messages {
				if !strings.Contains(all.String(), m) {
					t.Errorf("no %q in the messages:\n%s", m, all.String())
				}
			}
		})
	}
}
