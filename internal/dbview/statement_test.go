package dbview

import (
	"strings"
	"testing"
)

func TestWriteStatement(t *testing.T) {
	one := int64(1)
	tests := []struct {
		name string
		st   Statement
		want string
	}{
		{"a query", Statement{Result: &Result{Columns: []string{"n"}, Rows: [][]*string{{str("3")}}, Total: 1}},
			"n\n-\n3\n(1 row)\n"},
		{"a statement with neither rows nor writes", Statement{Result: &Result{}}, "Done.\n"},
		{"a write that changed nothing", Statement{Wrote: true, Affected: new(int64)},
			"0 rows affected by the statement itself.\nNo table changed.\n"},
		{"a delete that cascades", Statement{Wrote: true, Affected: &one, Changes: []TableChange{
			{Table: "books", Before: 8, After: 7, Removed: 1, RemovedShown: []string{"id=1, title=A"}},
			{Table: "book_tag", Before: 1017, After: 1000, Removed: 17, RemovedShown: []string{"book_id=1, tag_id=1"}},
			{Table: "notes", After: 2, Created: true, Added: 2},
			{Table: "old", Before: 3, Dropped: true},
		}}, `1 row affected by the statement itself.
What changed, cascades included:
  books: 8 -> 7 rows (1 removed)
      - id=1, title=A
  book_tag: 1,017 -> 1,000 rows (17 removed)
      - book_id=1, tag_id=1
      - and 16 more
  notes: a new table, 2 rows
  old: dropped, with its 3 rows
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			WriteStatement(&b, tt.st)
			if b.String() != tt.want {
				t.Errorf("have:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}
