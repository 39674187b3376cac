package sqlitedb

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		stmts []string
		rest  string
	}{
		{"one", "SELECT 1;", []string{"SELECT 1;"}, ""},
		{"two, and space", " SELECT 1;\n SELECT 2 ;  ", []string{"SELECT 1;", "SELECT 2 ;"}, ""},
		{"unfinished", "SELECT 1; SELECT", []string{"SELECT 1;"}, " SELECT"},
		{"a semicolon in a string", "SELECT ';'; SELECT 2;", []string{"SELECT ';';", "SELECT 2;"}, ""},
		{"a semicolon in a comment", "SELECT 1 -- a;b\n;", []string{"SELECT 1 -- a;b\n;"}, ""},
		{"a trigger's body", "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END; SELECT 1;",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END;", "SELECT 1;"}, ""},
		{"empty statements", ";; ;", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, rest := Split(tt.text)
			if !slices.Equal(stmts, tt.stmts) || rest != tt.rest {
				t.Errorf("Split(%q) = %q, %q; want %q, %q", tt.text, stmts, rest, tt.stmts, tt.rest)
			}
		})
	}
}

func TestSessionCascade(t *testing.T) {
	path, _ := seeded(t, "library")
	ctx := context.Background()
	s, err := OpenSession(ctx, path, 200, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Run(ctx, "DELETE FROM books WHERE id = 1;")
	if err != nil {
		t.Fatal(err)
	}
	if st.Error != "" || st.Affected == nil || *st.Affected != 1 || !st.Wrote {
		t.Fatalf("the delete: %+v", st)
	}
	var tables []string
	for _, c := range st.Changes {
		tables = append(tables, c.Table)
		if c.Removed == 0 || c.After != c.Before-c.Removed || len(c.RemovedShown) == 0 {
			t.Errorf("%s: %+v", c.Table, c)
		}
	}
	if !slices.Equal(tables, []string{"books", "book_tag"}) {
		t.Errorf("changed tables = %q, want books and, by its cascade, book_tag", tables)
	}
	// A query changes nothing and says so; a refused write changes nothing.
	st, _ = s.Run(ctx, "SELECT count(*) FROM books;")
	if st.Wrote || st.Result == nil || st.Result.Total != 1 {
		t.Errorf("a query: %+v", st)
	}
	st, _ = s.Run(ctx, "DELETE FROM authors;")
	if !strings.Contains(st.Error, "FOREIGN KEY constraint failed") {
		t.Errorf("a delete of authors with books, foreign keys on: %+v", st)
	}
	// An update shows the columns it changed.
	st, _ = s.Run(ctx, "UPDATE books SET title = 'X' WHERE id = 2;")
	if len(st.Changes) != 1 || st.Changes[0].Updated != 1 || !strings.Contains(st.Changes[0].UpdatedShown[0], "id=2: title ") {
		t.Errorf("an update: %+v", st.Changes)
	}
	// A table made, then dropped.
	st, _ = s.Run(ctx, "CREATE TABLE n (x);")
	if len(st.Changes) != 1 || !st.Changes[0].Created || st.Affected != nil {
		t.Errorf("a create: %+v", st)
	}
	st, _ = s.Run(ctx, "DROP TABLE n;")
	if len(st.Changes) != 1 || !st.Changes[0].Dropped {
		t.Errorf("a drop: %+v", st.Changes)
	}
	// A rollback puts rows back, and says so.
	s.Run(ctx, "BEGIN;")
	s.Run(ctx, "DELETE FROM book_tag;")
	st, _ = s.Run(ctx, "ROLLBACK;")
	if len(st.Changes) != 1 || st.Changes[0].Added == 0 {
		t.Errorf("a rollback: %+v", st.Changes)
	}
}

func TestSessionLeavesTheSeedAlone(t *testing.T) {
	seed := filepath.Join("..", "..", "..", "data", "library.db")
	before, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := seeded(t, "library")
	s, err := OpenSession(context.Background(), path, 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	s.Run(context.Background(), "DELETE FROM book_tag;")
	s.Close()
	if after, _ := os.ReadFile(seed); !bytes.Equal(before, after) {
		t.Error("the seeded file changed")
	}
}

// A session writes its one copy and no other file: ATTACH of a seeded
// database, and VACUUM INTO a path, are refused, whatever the path.
func TestSessionOpensNoOtherFile(t *testing.T) {
	seed, err := filepath.Abs(filepath.Join("..", "..", "..", "data", "library.db"))
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := seeded(t, "library")
	s, err := OpenSession(context.Background(), path, 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	into := filepath.Join(t.TempDir(), "out.db")
	for _, stmt := range []string{
		"ATTACH DATABASE '" + seed + "' AS b;",
		"  /* a comment */ attach '" + seed + "' as b;",
		"VACUUM INTO '" + into + "';",
		"SELECT * FROM pragma_database_list; ATTACH '" + seed + "' AS c;",
	} {
		for _, one := range splitAll(stmt) {
			st, err := s.Run(context.Background(), one)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToUpper(one), "ATTACH") || strings.Contains(strings.ToUpper(one), "VACUUM") {
				if st.Error == "" {
					t.Errorf("%s: not refused", one)
				}
			}
		}
	}
	if after, _ := os.ReadFile(seed); !bytes.Equal(before, after) {
		t.Error("the seeded file changed")
	}
	if _, err := os.Stat(into); err == nil {
		t.Error("VACUUM INTO wrote a file")
	}
}

func splitAll(text string) []string {
	stmts, rest := Split(text)
	if rest != "" {
		stmts = append(stmts, rest)
	}
	return stmts
}
