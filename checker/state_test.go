package checker

import (
	"strings"
	"testing"

	"workbook/internal/protocol"
)

// TestCompositeKeyRows proves that the rows of a table whose primary key has
// several columns (library's book_tag) are matched by that key, not by
// rowid: a pairing deleted and inserted again is the same row, and a pairing
// whose key changed is one removed and one added.
func TestCompositeKeyRows(t *testing.T) {
	tests := []struct {
		name     string
		writes   []string
		changes  Changes
		wantPass bool
		wantText string // in the failure's message, when it fails
	}{
		{
			// The tables end as they were, but where nothing was to
			// happen, rows were written: a change to SQLite.
			name:     "deleted and inserted again",
			writes:   []string{`DELETE FROM book_tag WHERE book_id = 1 AND tag_id = 3`, `INSERT INTO book_tag (book_id, tag_id) VALUES (1, 3)`},
			changes:  Changes{},
			wantText: "the tables hold what they held, but statement 1 reported changing 1 row:\n    DELETE FROM book_tag",
		},
		{
			// A row added and taken out again was in the table between the
			// two: not a row written back as it was.
			name:     "inserted and deleted again",
			writes:   []string{`INSERT INTO book_tag (book_id, tag_id) VALUES (2, 1)`, `DELETE FROM book_tag WHERE book_id = 2 AND tag_id = 1`},
			changes:  Changes{},
			wantText: "statement 1 added 1 row and statement 2 took it out again:",
		},
		{
			name:     "replaced",
			writes:   []string{`INSERT OR REPLACE INTO book_tag (book_id, tag_id) VALUES (1, 3)`},
			changes:  Changes{},
			wantText: "reported changing 1 row:\n    INSERT OR REPLACE INTO book_tag",
		},
		{
			name:     "updated to the same values",
			writes:   []string{`UPDATE book_tag SET tag_id = tag_id WHERE book_id = 1`},
			changes:  Changes{},
			wantText: "Rows written back as they were are a change to SQLite",
		},
		{
			name:     "one pairing removed",
			writes:   []string{`DELETE FROM book_tag WHERE book_id = 1 AND tag_id = 3`},
			changes:  Changes{"book_tag": {Removed: "book_id = 1 AND tag_id = 3"}},
			wantPass: true,
		},
		{
			name:     "the book's other pairing removed instead",
			writes:   []string{`DELETE FROM book_tag WHERE book_id = 1 AND tag_id = 1`},
			changes:  Changes{"book_tag": {Removed: "book_id = 1 AND tag_id = 3"}},
			wantText: "book_tag: 1 row removed that should have been kept:\n    {book_id: 1, tag_id: 1}",
		},
		{
			name:     "the tag's pairings on every book removed",
			writes:   []string{`DELETE FROM book_tag WHERE tag_id = 3`},
			changes:  Changes{"book_tag": {Removed: "book_id = 1 AND tag_id = 3"}},
			wantText: "book_tag: 2 rows removed that should have been kept:\n    {book_id: 2, tag_id: 3}\n    {book_id: 4, tag_id: 3}",
		},
		{
			name:     "a key column updated",
			writes:   []string{`UPDATE book_tag SET tag_id = 2 WHERE book_id = 1 AND tag_id = 3`},
			changes:  Changes{"book_tag": {Removed: "book_id = 1 AND tag_id = 3", Added: 1, AddedWhere: "book_id = 1 AND tag_id = 2"}},
			wantPass: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			v := cfg.run(Check{Name: "pairings", Data: []string{"library"}, Writes: true}, func(c *C) {
				before := c.Snapshot()
				for _, w := range tt.writes {
					if _, err := c.DB().Exec(w); err != nil {
						c.Fatalf("%s: %v", w, err)
					}
				}
				c.ExpectChanges(before, tt.changes)
			})
			if v.Passed() != tt.wantPass {
				t.Fatalf("passed = %v, want %v\n%s", v.Passed(), tt.wantPass, describe(v))
			}
			if tt.wantPass {
				return
			}
			if len(v.Failures) != 1 || v.Failures[0].Kind != protocol.KindState || !strings.Contains(v.Failures[0].Message, tt.wantText) {
				t.Errorf("want one %s failure containing\n%s\ngot:\n%s", protocol.KindState, tt.wantText, describe(v))
			}
		})
	}
}

// TestReturnedID proves that a call whose row is right but whose returned
// id is not fails as a wrong return value, naming both ids, and that a
// right id passes.
func TestReturnedID(t *testing.T) {
	for _, tt := range []struct {
		name     string
		returned func(newID int64) int64
		wantText string
	}{
		{"the new row's id", func(id int64) int64 { return id }, ""},
		{"the rows affected", func(int64) int64 { return 1 }, "res.RowsAffected() counts rows"},
		{"the id before it", func(id int64) int64 { return id - 1 }, "but the row it added to users has id "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := testConfig(t).run(Check{Name: "adds", Data: []string{"budget"}, Writes: true}, func(c *C) {
				before := c.Snapshot()
				res, err := c.DB().Exec(`INSERT INTO users (name, email) VALUES ('Zed', 'zed@example.com')`)
				if err != nil {
					c.Fatalf("insert: %v", err)
				}
				id, _ := res.LastInsertId()
				c.ExpectChanges(before, Changes{"users": {
					Added: 1, AddedWhere: "name = 'Zed'",
					ReturnedBy: "AddUser(db)", ReturnedID: tt.returned(id),
				}})
			})
			if tt.wantText == "" {
				if !v.Passed() {
					t.Fatalf("failed:\n%s", describe(v))
				}
				return
			}
			if len(v.Failures) != 1 || v.Failures[0].Kind != protocol.KindResult ||
				!strings.Contains(v.Failures[0].Message, "AddUser(db) returned ") || !strings.Contains(v.Failures[0].Message, tt.wantText) {
				t.Errorf("want one %s failure containing %q\ngot:\n%s", protocol.KindResult, tt.wantText, describe(v))
			}
		})
	}
}
