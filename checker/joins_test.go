package checker

import "testing"

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
