package checker

import (
	"strings"
	"testing"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
)

func TestJoinExample(t *testing.T) {
	for _, tt := range []struct {
		query string
		left  bool
		want  string
	}{
		{"SELECT c.name FROM users u LEFT JOIN expenses e ON e.user_id = u.id", true, "a row of users with no row in expenses"},
		{"SELECT t.name FROM books b JOIN book_tag bt ON bt.book_id = b.id LEFT OUTER JOIN tags t ON t.id = bt.tag_id", true, "a row of books with no row in tags"},
		{"SELECT t.name FROM books b JOIN book_tag bt ON bt.book_id = b.id", false, "a row of books with no row in book_tag"},
		{"SELECT x FROM (SELECT 1 AS x) LEFT JOIN (SELECT 2) ON 1", true, "a parent row without children"},
	} {
		if got := joinExample(tt.query, tt.left); got != tt.want {
			t.Errorf("joinExample(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestSentCause(t *testing.T) {
	lesson := "The lesson's advice."
	for _, tt := range []struct {
		name     string
		query    stmtlog.Entry
		returned int
		want     string
	}{
		{"a LEFT JOIN's NULL row", stmtlog.Entry{Seq: 1, SQL: "SELECT c.name FROM users u LEFT JOIN expenses e ON e.user_id = u.id WHERE u.email = ?", Args: []any{"d@x"}}, 0,
			"Statement 1 has a LEFT JOIN, which sends a row of NULLs for a row of users with no row in expenses"},
		{"no argument", stmtlog.Entry{Seq: 1, SQL: "SELECT u.email, sum(e.amount_cents) FROM users u JOIN expenses e ON e.user_id = u.id GROUP BY u.id"}, 2,
			"Statement 1 has no argument at all"},
		{"the lesson's cause", stmtlog.Entry{Seq: 1, SQL: "SELECT e.amount_cents FROM users u JOIN expenses e ON e.user_id = u.id WHERE u.email = ?", Args: []any{"a@x"}}, 2,
			lesson},
		{"a LEFT JOIN with rows returned", stmtlog.Entry{Seq: 1, SQL: "SELECT a.id FROM accounts a LEFT JOIN activity x ON x.account_id = a.id WHERE x.amount_cents >= ?", Args: []any{750}}, 2,
			lesson},
	} {
		if got := sentCause(tt.query, tt.returned, lesson); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: sentCause = %q, want it to start with %q", tt.name, got, tt.want)
		}
	}
}

func TestSplitParents(t *testing.T) {
	o := rowdiff.Options{Noun: "user", OrderBy: map[string][]rowdiff.SortKey{"": {rowdiff.ParseSortKey("u.id")}}, Sent: []rowdiff.SortKey{rowdiff.ParseSortKey("e.id")}}
	got, err := rowdiff.Parse([]byte(`[{"ID": 1, "Expenses": [{"ID": 1}]}, {"ID": 2, "Expenses": null}, {"ID": 1, "Expenses": [{"ID": 4}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	if why := splitParents(got, "ID", o); !strings.Contains(why, "The user with ID 1 comes more than once") || !strings.Contains(why, "ORDER BY u.id") {
		t.Errorf("splitParents = %q", why)
	}
	o.Sent = []rowdiff.SortKey{rowdiff.ParseSortKey("u.id"), rowdiff.ParseSortKey("e.id")}
	if why := splitParents(got, "ID", o); why != "" {
		t.Errorf("ordered by the parent first: splitParents = %q, want none", why)
	}
}
