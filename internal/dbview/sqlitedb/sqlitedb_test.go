package sqlitedb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seeded returns the path of a fresh copy of data set name, in a folder of
// its own, and the bytes it started with.
func seeded(t *testing.T, name string) (string, []byte) {
	t.Helper()
	path, err := FreshCopy(filepath.Join("..", "..", "..", "data", name+".db"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, data
}

func TestInspect(t *testing.T) {
	path, _ := seeded(t, "library")
	s, err := Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	if got := strings.Join(names, " "); got != "authors books tags book_tag" {
		t.Fatalf("tables = %s, want them in the order they were created", got)
	}
	books, link := s.Tables[1], s.Tables[3]
	if books.Rows == 0 {
		t.Error("books has no rows")
	}
	if len(books.ForeignKeys) != 1 || books.ForeignKeys[0].Table != "authors" || books.ForeignKeys[0].To[0] != "id" ||
		books.ForeignKeys[0].OnDelete != "NO ACTION" {
		t.Errorf("books' foreign keys = %+v", books.ForeignKeys)
	}
	if len(books.Indexes) != 1 || books.Indexes[0].Name != "books_author_id" {
		t.Errorf("books' indexes = %+v", books.Indexes)
	}
	if link.Columns[0].PK != 1 || link.Columns[1].PK != 2 {
		t.Errorf("book_tag's key = %+v", link.Columns)
	}
	for _, fk := range link.ForeignKeys {
		if fk.OnDelete != "CASCADE" {
			t.Errorf("book_tag's foreign key to %s: on delete %s, want CASCADE", fk.Table, fk.OnDelete)
		}
	}
	tags := s.Tables[2]
	if !tags.Columns[1].Unique {
		t.Errorf("tags.name is not shown as unique: %+v", tags.Columns[1])
	}
}

func TestQueryReads(t *testing.T) {
	path, _ := seeded(t, "budget")
	tests := []struct {
		name      string
		query     string
		limit     int
		wantCols  string
		wantRows  int
		wantTotal int
		wantFirst string
	}{
		{"a select", "SELECT id, name FROM users WHERE id <= 5 ORDER BY id", 100, "id name", 5, 5, "1 Alice"},
		{"a limit on the rows shown, not counted", "SELECT id FROM expenses WHERE id <= 12", 3, "id", 3, 12, ""},
		{"NULL and numbers", "SELECT NULL AS missing, 1.5 AS half, x'00ff' AS bytes", 10, "missing half bytes", 1, 1, "NULL 1.5 x'00ff'"},
		{"a recursive CTE", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n", 10, "i", 3, 3, "1"},
		{"a PRAGMA that reads", "PRAGMA table_info(users)", 10, "cid name type notnull dflt_value pk", 3, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Query(context.Background(), path, tt.query, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 1 {
				t.Fatalf("%d results, want 1", len(rs))
			}
			r := rs[0]
			if got := strings.Join(r.Columns, " "); got != tt.wantCols {
				t.Errorf("columns = %s, want %s", got, tt.wantCols)
			}
			if len(r.Rows) != tt.wantRows || r.Total != tt.wantTotal {
				t.Errorf("%d rows of %d, want %d of %d", len(r.Rows), r.Total, tt.wantRows, tt.wantTotal)
			}
			if tt.wantFirst != "" {
				var first []string
				for _, v := range r.Rows[0] {
					if v == nil {
						first = append(first, "NULL")
					} else {
						first = append(first, *v)
					}
				}
				if got := strings.Join(first, " "); !strings.HasPrefix(got, tt.wantFirst) {
					t.Errorf("first row = %s, want %s", got, tt.wantFirst)
				}
			}
		})
	}
}

func TestQueryRefusesWrites(t *testing.T) {
	tests := []struct {
		query string
		want  string
	}{
		{"DELETE FROM expenses", "DELETE from expenses"},
		{"INSERT INTO users (email, name) VALUES ('x@y', 'X')", "INSERT into users"},
		{"UPDATE users SET name = 'X'", "UPDATE of users"},
		{"DROP TABLE expenses", "a change to the schema"},
		{"CREATE TABLE t (x)", "a change to the schema"},
		{"PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = OFF"},
		{"BEGIN", "a transaction"},
		{"ATTACH 'other.db' AS other", "ATTACH"},
		{"SELECT 1; DELETE FROM users", "DELETE from users"},
		{"VACUUM", "VACUUM"},
		{"VACUUM INTO 'copy.db'", "VACUUM"},
		{"select 1; vacuum into 'copy.db'", "VACUUM"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			path, before := seeded(t, "budget")
			_, err := Query(context.Background(), path, tt.query, 10)
			var we *WriteError
			if !errors.As(err, &we) || !strings.Contains(we.What, tt.want) {
				t.Errorf("err = %v, want a WriteError naming %q", err, tt.want)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("the database changed")
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				t.Errorf("the folder holds %d files, want only the copy", len(entries))
			}
		})
	}
}

func TestQueryErrorsAndTime(t *testing.T) {
	path, _ := seeded(t, "budget")
	var we *WriteError
	if _, err := Query(context.Background(), path, "SELECT nope FROM users", 10); err == nil || errors.As(err, &we) {
		t.Errorf("a bad column: err = %v, want SQLite's error", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := Query(ctx, path, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", 10)
	if err == nil || time.Since(began) > 5*time.Second {
		t.Errorf("a query without end: err = %v after %v", err, time.Since(began))
	}
}
