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
