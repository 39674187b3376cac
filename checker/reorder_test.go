package checker

import (
	"slices"
	"testing"

	"workbook/internal/sqlite"
)

// TestReorderKeepsRowsAndTurnsTies checks a reordered copy of the library
// against the data set: the same rows, and ties, groups and index scans in
// another order.
func TestReorderKeepsRowsAndTurnsTies(t *testing.T) {
	cfg := testConfig(t)
	seeded, err := cfg.seeds.freshCopy("library", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	copied, err := cfg.seeds.freshCopy("library", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := reorder(copied); err != nil {
		t.Fatal(err)
	}
	before := openOwn(sqlite.DSN(seeded, sqlite.Options{}))
	defer before.Close()
	after := openOwn(sqlite.DSN(copied, sqlite.Options{}))
	defer after.Close()
	ids := func(db interface {
		Select(any, string, ...any) error
	}, query string) []int64 {
		t.Helper()
		var out []int64
		if err := db.Select(&out, query); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, q := range []string{
		`SELECT id FROM books ORDER BY id`,
		`SELECT book_id * 100 + tag_id FROM book_tag ORDER BY book_id, tag_id`,
	} {
		if b, a := ids(before, q), ids(after, q); !slices.Equal(a, b) {
			t.Errorf("%s: %v on the copy, %v on the data set", q, a, b)
		}
	}
	for _, tt := range []struct {
		what, query string
	}{
		{"a tie in a sort fed by an index", `SELECT b.id FROM book_tag bt JOIN books b ON b.id = bt.book_id WHERE bt.tag_id = 1 ORDER BY b.author_id`},
		{"the rows under one key of a non-unique index", `SELECT id FROM books WHERE author_id = 1`},
		{"groups from a unique index", `SELECT count(*) * 100 + min(id) FROM tags GROUP BY name`},
	} {
		b, a := ids(before, tt.query), ids(after, tt.query)
		if slices.Equal(a, b) {
			t.Errorf("%s: %v on the copy as on the data set (%s)", tt.what, a, tt.query)
		}
		if slices.Sort(a); !slices.Equal(a, slices.Sorted(slices.Values(b))) {
			t.Errorf("%s: %v on the copy, not the same rows as %v", tt.what, a, b)
		}
	}
}

// TestReorderedRunOnlyForOrderedChecks checks when a check runs once more:
// after an ordered comparison that passed everywhere, and only then.
func TestReorderedRunOnlyForOrderedChecks(t *testing.T) {
	for _, tt := range []struct {
		name   string
		expect func(*C)
		want   []string // the data sets the body ran on, "+" with open orders reversed, "*" on a reordered copy
	}{
		{"an ordered result that passed", func(c *C) { foodBody(foodByAmount)(c) }, []string{"budget", "budget-variant", "budget+", "budget-variant+"}},
		{"a passing result and an order the reversed run cannot turn round", func(c *C) {
			var ids []int
			c.NoError(c.DB().Select(&ids, "SELECT id FROM users UNION SELECT id FROM categories ORDER BY 1"), "a compound SELECT")
			foodBody(foodByAmount)(c)
		}, []string{"budget", "budget-variant", "budget+", "budget*", "budget-variant+", "budget-variant*"}},
		{"an ordered result that failed", func(c *C) { foodBody(foodInIDOrder)(c) }, []string{"budget", "budget-variant"}},
		{"a result in any order", func(c *C) {
			got, err := foodByAmount(c.DB())
			c.NoError(err, "ExpensesInCategory(db, \"Food\")")
			c.Expect(got, AnyOrder)
		}, []string{"budget", "budget-variant"}},
		{"no result compared", func(c *C) { c.Exec("SELECT 1") }, []string{"budget", "budget-variant"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			withExpected(t, cfg)
			var ran []string
			check := foodCheck
			check.Budget = 2
			cfg.run(check, func(c *C) {
				name := c.Data()
				switch c.mode {
				case reversedRun:
					name += "+"
				case reorderedRun:
					name += "*"
				case repeatedRun:
					name += "="
				}
				ran = append(ran, name)
				tt.expect(c)
			})
			// A passing ordered result is then repeated on the lesson's
			// data (TestOrderByChanceFailsOnARepeat): those runs are
			// counted, not listed.
			repeats := 0
			for len(ran) > 0 && ran[len(ran)-1] == "budget=" {
				ran, repeats = ran[:len(ran)-1], repeats+1
			}
			if !slices.Equal(ran, tt.want) {
				t.Errorf("the body ran on %v, want %v", ran, tt.want)
			}
			// The tests' learner's file, learner_test.go, uses maps: a
			// passing ordered result is repeated.
			if passedOrdered := len(tt.want) > 2; passedOrdered != (repeats > 0) {
				t.Errorf("%d repeats after %v", repeats, tt.want)
			}
		})
	}
}
