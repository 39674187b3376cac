package stmtlog

import (
	"strings"
	"testing"
)

func TestShape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"placeholders stay", "SELECT * FROM expenses WHERE user_id = ?", "SELECT * FROM expenses WHERE user_id = ?"},
		{"numbers become placeholders", "SELECT * FROM expenses WHERE user_id = 42", "SELECT * FROM expenses WHERE user_id = ?"},
		{"strings become placeholders", "SELECT * FROM users WHERE name = 'O''Brien'", "SELECT * FROM users WHERE name = ?"},
		{"white space folds", "SELECT id\n\tFROM  users\n WHERE id = ?;", "SELECT id FROM users WHERE id = ?"},
		{"IN lists collapse", "SELECT * FROM e WHERE user_id IN (?, ?,?)", "SELECT * FROM e WHERE user_id IN (...)"},
		{"literal IN lists collapse", "SELECT * FROM e WHERE user_id IN (1, 2, 3)", "SELECT * FROM e WHERE user_id IN (...)"},
		{"names with digits stay", "SELECT col2 FROM t2", "SELECT col2 FROM t2"},
		{"numbered parameters", "SELECT * FROM t WHERE a = $1 AND b = :name", "SELECT * FROM t WHERE a = ? AND b = ?"},
		{"comments go", "SELECT 1 -- the answer\nFROM t", "SELECT ? FROM t"},
		{"decimals", "UPDATE t SET x = 52.50", "UPDATE t SET x = ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Shape(tt.in); got != tt.want {
				t.Errorf("Shape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	entries := []Entry{
		{Seq: 1, SQL: "SELECT id FROM users"},
		{Seq: 2, Kind: KindBegin, SQL: "BEGIN"},
		{Seq: 3, SQL: "SELECT * FROM expenses WHERE user_id = ?", Args: []any{int64(1)}},
		{Seq: 4, SQL: "SELECT * FROM expenses WHERE user_id = ?", Args: []any{int64(2)}},
		{Seq: 5, SQL: "select * from expenses where user_id = 3"},
		{Seq: 6, SQL: "SELECT count(*) FROM users"},
		{Seq: 7, SQL: "SELECT count(*) FROM users"},
	}
	got := Groups(entries)
	if len(got) != 3 {
		t.Fatalf("got %d groups, want 3: %+v", len(got), got)
	}
	if g := got[1]; len(g.Seqs) != 3 || !g.Varied || g.Seqs[0] != 3 {
		t.Errorf("loop group = %+v, want seqs 3,4,5 varied", g)
	}
	if g := got[2]; len(g.Seqs) != 2 || g.Varied {
		t.Errorf("repeat group = %+v, want two identical executions", g)
	}
}

func TestListingElidesTheMiddle(t *testing.T) {
	var entries []Entry
	for i := 1; i <= 20; i++ {
		entries = append(entries, Entry{Seq: i, SQL: "SELECT * FROM expenses WHERE user_id = ?", Args: []any{int64(i)}, Query: true, Rows: 1})
	}
	got := Listing(entries, 3, 2, "  ")
	want := `   1. SELECT * FROM expenses WHERE user_id = ?  [1]  → 1 row
   2. SELECT * FROM expenses WHERE user_id = ?  [2]  → 1 row
   3. SELECT * FROM expenses WHERE user_id = ?  [3]  → 1 row
      … 15 more …
  19. SELECT * FROM expenses WHERE user_id = ?  [19]  → 1 row
  20. SELECT * FROM expenses WHERE user_id = ?  [20]  → 1 row
`
	if got != want {
		t.Errorf("Listing:\n%s\nwant:\n%s", got, want)
	}
	if short := Listing(entries[:4], 3, 2, ""); strings.Count(short, "\n") != 4 {
		t.Errorf("a short listing should not be elided:\n%s", short)
	}
}

func TestLineFormatsArguments(t *testing.T) {
	e := Entry{Seq: 4, SQL: "INSERT INTO t VALUES (?, ?, ?, ?)", Args: []any{nil, "it's", []byte{1, 2}, 2.5}, Rows: 1}
	want := `4. INSERT INTO t VALUES (?, ?, ?, ?)  [NULL, 'it''s', x'0102', 2.5]  → 1 row changed`
	if got := e.Line(); got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
}
