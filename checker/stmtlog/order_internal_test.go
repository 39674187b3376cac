package stmtlog

import "testing"

func TestScanOrder(t *testing.T) {
	tests := []struct {
		query    string
		want     openOrder
		withTerm string // the text run with OpenOrdersReversed, if it differs
	}{
		{query: "SELECT id FROM users", want: openOrder{query: true, at: 20}},
		{query: "select id from users order by name", want: openOrder{query: true, orderBy: true, at: 34},
			withTerm: "select id from users order by name, workbook_tie_break() DESC"},
		{query: "SELECT id FROM users ORDER BY name DESC LIMIT 3;", want: openOrder{query: true, orderBy: true, at: 39},
			withTerm: "SELECT id FROM users ORDER BY name DESC, workbook_tie_break() DESC LIMIT 3;"},
		{query: "SELECT a FROM t GROUP BY a -- ORDER BY a\n", want: openOrder{query: true, at: 26}},
		{query: "SELECT 'ORDER BY' FROM t", want: openOrder{query: true, at: 24}},
		{query: `SELECT "order" FROM t /* ORDER BY x */`, want: openOrder{query: true, at: 21}},
		{query: "SELECT * FROM (SELECT a FROM t ORDER BY a) LIMIT 2", want: openOrder{query: true, at: 50}},
		{query: "SELECT a, row_number() OVER (ORDER BY a) FROM t", want: openOrder{query: true, at: 47}},
		{query: "WITH x AS (SELECT a FROM t ORDER BY a) SELECT a FROM x ORDER BY a", want: openOrder{query: true, orderBy: true, at: 65},
			withTerm: "WITH x AS (SELECT a FROM t ORDER BY a) SELECT a FROM x ORDER BY a, workbook_tie_break() DESC"},
		{query: "SELECT a FROM t UNION SELECT a FROM u ORDER BY 1", want: openOrder{query: true, orderBy: true, compound: true, at: 48}},
		{query: "WITH x AS (SELECT 1) DELETE FROM t WHERE id IN x", want: openOrder{at: 48}},
		{query: "INSERT INTO t SELECT a FROM u ORDER BY a", want: openOrder{orderBy: true, at: 40}},
		{query: "DELETE FROM t RETURNING id", want: openOrder{at: 26}},
		{query: "PRAGMA table_info(t)", want: openOrder{at: 20}},
		{query: "VALUES (1), (2)", want: openOrder{query: true, at: 15}},
		{query: "SELECT u.id FROM users u ORDER BY u.id, e.[order]", want: openOrder{query: true, orderBy: true, at: 49},
			withTerm: "SELECT u.id FROM users u ORDER BY u.id, e.[order], workbook_tie_break() DESC"},
	}
	for _, tt := range tests {
		got := scanOrder(tt.query)
		got.limit, got.table = 0, "" // TestTopLimit's and TestTopTable's
		if got != tt.want {
			t.Errorf("scanOrder(%q) = %+v, want %+v", tt.query, got, tt.want)
		}
		l := &Log{OpenOrdersReversed: true}
		run, reverse := l.adversary(tt.query)
		wantRun := tt.query
		if tt.withTerm != "" {
			wantRun = tt.withTerm
		}
		wantReverse := tt.want.query && !tt.want.orderBy
		if run != wantRun || reverse != wantReverse {
			t.Errorf("adversary(%q) = %q, %v; want %q, %v", tt.query, run, reverse, wantRun, wantReverse)
		}
		if run, reverse := new(Log).adversary(tt.query); run != tt.query || reverse {
			t.Errorf("adversary(%q) without OpenOrdersReversed = %q, %v; want the query as it is", tt.query, run, reverse)
		}
	}
}

func TestTopLimit(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  string
		ok    bool
	}{
		{"SELECT id FROM users", "", false},
		{"SELECT id FROM users ORDER BY id LIMIT 5;", "5", true},
		{"select id from users limit ? offset ?", "? offset ?", true},
		{"SELECT * FROM users WHERE id = (SELECT max(id) FROM users LIMIT 1)", "", false},
		{"DELETE FROM users WHERE id IN (SELECT id FROM users LIMIT 2)", "", false},
		{"SELECT 'LIMIT 3' FROM users", "", false},
	} {
		got, ok := TopLimit(tt.query)
		if got != tt.want || ok != tt.ok {
			t.Errorf("TopLimit(%q) = %q, %v; want %q, %v", tt.query, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTopTable(t *testing.T) {
	for _, tt := range []struct{ query, want string }{
		{"SELECT id FROM expenses", "expenses"},
		{"SELECT e.id, (SELECT u.name FROM users u WHERE u.id = e.user_id) FROM expenses e", "expenses"},
		{`SELECT * FROM "expenses" e JOIN users u ON u.id = e.user_id`, "expenses"},
		{"SELECT * FROM (SELECT * FROM users) AS x", ""},
		{"WITH t AS (SELECT * FROM users) SELECT * FROM t", "t"},
		{"INSERT INTO accounts (id) VALUES (1)", "accounts"},
		{"UPDATE users SET name = 'from x'", "users"},
		{"SELECT 1", ""},
	} {
		if got := TopTable(tt.query); got != tt.want {
			t.Errorf("TopTable(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
