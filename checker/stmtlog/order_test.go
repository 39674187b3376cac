package stmtlog_test

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/checker/stmtlog"
)

func TestOpenOrdersReversed(t *testing.T) {
	db, log := openReversed(t)
	tests := []struct {
		query string
		want  []int64
	}{
		// No ORDER BY: last first.
		{"SELECT id FROM users", []int64{3, 2, 1}},
		{"SELECT user_id FROM expenses GROUP BY user_id", []int64{2, 1}},
		{"SELECT * FROM (SELECT id FROM users ORDER BY id DESC)", []int64{1, 2, 3}},
		// Ties of an ORDER BY in the other order; a decided order as it is.
		{"SELECT id FROM expenses ORDER BY user_id", []int64{3, 2, 1, 4}},
		{"SELECT id FROM expenses ORDER BY user_id DESC LIMIT 3", []int64{4, 3, 2}},
		{"SELECT id FROM expenses ORDER BY user_id, id", []int64{1, 2, 3, 4}},
		{"SELECT id FROM expenses ORDER BY amount_cents", []int64{2, 4, 3, 1}},
		// An ORDER BY a compound SELECT cannot take the term: as it is.
		{"SELECT user_id FROM expenses UNION ALL SELECT id FROM users ORDER BY 1", []int64{1, 1, 1, 1, 2, 2, 3}},
		// An order by the rowid has no ties, and is the storage order,
		// which only a reordered copy changes: counted as unreversed.
		{"SELECT id FROM expenses e ORDER BY user_id, e.rowid", []int64{1, 2, 3, 4}},
		// A rowid elsewhere is not an order.
		{"SELECT id FROM expenses WHERE rowid > 0 ORDER BY id", []int64{1, 2, 3, 4}},
	}
	for _, tt := range tests {
		var got []int64
		if err := db.Select(&got, tt.query); err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
		}
		// A prepared statement is turned round the same way.
		st, err := db.Preparex(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		if err := st.Select(&got); err != nil {
			t.Fatalf("prepared %s: %v", tt.query, err)
		}
		st.Close()
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("prepared %s: got %v, want %v", tt.query, got, tt.want)
		}
	}
	if n := log.Unreversed(); n != 4 {
		t.Errorf("Unreversed() = %d, want 4 (the compound SELECT and the rowid order, run and prepared)", n)
	}
	// The log keeps the learner's text, and counts the rows they read.
	entries := log.Statements()
	last := entries[len(entries)-1]
	if last.SQL != tests[len(tests)-1].query {
		t.Errorf("the log has %q, want the query as the program sent it", last.SQL)
	}
	for _, e := range entries {
		if e.SQL == "SELECT id FROM users" && e.Rows != 3 {
			t.Errorf("%s: %d rows recorded, want 3", e.SQL, e.Rows)
		}
	}
	// A single row, read with QueryRow, is the last one SQLite met.
	var name string
	if err := db.Get(&name, "SELECT name FROM users"); err != nil || name != "Carol" {
		t.Errorf("Get without ORDER BY = %q, %v; want Carol, the last row", name, err)
	}
}

// TestAggregatesTurned: the values an aggregate joins in an order it leaves
// open (group_concat, json_group_array without an ORDER BY of their own,
// or the ties of theirs) come in the other order; a decided order stays.
func TestAggregatesTurned(t *testing.T) {
	db, _ := openReversed(t)
	tests := []struct{ query, want string }{
		{"SELECT group_concat(id) FROM expenses WHERE user_id = 1", "3,2,1"},
		{"SELECT json_group_array(id) FROM expenses WHERE user_id = 1", "[3,2,1]"},
		{"SELECT json_group_array(id ORDER BY id) FROM expenses", "[1,2,3,4]"},
		{"SELECT group_concat(id, '-' ORDER BY user_id) FROM expenses", "3-2-1-4"},
		{"SELECT Group_Concat ( DISTINCT user_id ) FROM expenses", "2,1"},
		// Inside a subquery, and with a top-level ORDER BY too.
		{"SELECT (SELECT group_concat(e.id) FROM expenses e WHERE e.user_id = u.id) FROM users u ORDER BY u.id LIMIT 1", "3,2,1"},
		// A name in quotes or a string is not a call.
		{"SELECT 'group_concat(x)' || count(*) FROM expenses", "group_concat(x)4"},
		// A window function cannot take the term: run as written.
		{"SELECT group_concat(id) OVER (ORDER BY id) FROM expenses ORDER BY id DESC LIMIT 1", "1,2,3,4"},
	}
	for _, tt := range tests {
		var got string
		if err := db.Get(&got, tt.query); err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.query, got, tt.want)
		}
	}
}

// openReversed returns a handle on a fresh database holding schema whose
// log turns open orders round, and the log.
func openReversed(t *testing.T) (*sqlx.DB, *stmtlog.Log) {
	t.Helper()
	log := &stmtlog.Log{OpenOrdersReversed: true}
	dsn := "file:" + filepath.Join(t.TempDir(), "test.db")
	db := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, stmtlog.RegisterTieBreak)), "sqlite3")
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	return db, log
}
