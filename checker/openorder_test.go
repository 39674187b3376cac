package checker

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

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

// TestOrderByChanceFailsOnARepeat checks that an order that changes from
// one call to the next, as a range over a small Go map's does now and then,
// fails on one of the repeats of a fast ordered check, which says so; and
// that a decided order passes them all.
func TestOrderByChanceFailsOnARepeat(t *testing.T) {
	cfg := testConfig(t)
	cfg.repeatFor = time.Hour // every repeat runs, however slow the machine
	learner := filepath.Join(t.TempDir(), "totals.go")
	if err := os.WriteFile(learner, []byte("package totals\n\nvar sums = map[string]int64{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.learnerFiles = []string{learner}
	cfg.update = true
	decided := selectTotals(totalsQuery + " ORDER BY c.name")
	if v := cfg.run(totalsCheck, totalsBody(decided)); !v.Passed() {
		t.Fatalf("writing expected results: %+v", v.Failures)
	}
	cfg.update = false
	if v := cfg.run(totalsCheck, totalsBody(decided)); !v.Passed() {
		t.Fatalf("a decided order failed: %+v", v.Failures)
	}
	calls := 0
	// Right on every call but the tenth: the first three runs (two data
	// sets and the turned-round run) and six repeats pass.
	byChance := func(db *sqlx.DB) ([]categoryTotal, error) {
		out, err := decided(db)
		if calls++; calls == 10 && len(out) > 1 {
			out[0], out[1] = out[1], out[0]
		}
		return out, err
	}
	v := cfg.run(totalsCheck, totalsBody(byChance))
	if v.Status != protocol.StatusFail {
		t.Fatalf("status %s after %d calls, want fail: %+v", v.Status, calls, v.Failures)
	}
	if calls != 10 {
		t.Errorf("the check called the code %d times; want it to stop at the repeat that failed, the 10th", calls)
	}
	if len(v.Failures) != 1 || !strings.Contains(v.Failures[0].Message, "This run was a repeat of the check on budget") ||
		!strings.Contains(v.Failures[0].Message, "A Go map's range order is random on purpose") {
		t.Errorf("failures: %+v; want one, on a repeat, that says so", v.Failures)
	}
}
