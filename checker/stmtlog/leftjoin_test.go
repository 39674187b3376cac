package stmtlog

import (
	"slices"
	"testing"
)

func TestLeftJoinFilters(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{`SELECT e.id FROM expenses e LEFT JOIN categories c ON c.id = e.category_id AND c.name = ? ORDER BY e.id`, []string{"c.name = ?"}},
		{`SELECT e.id FROM expenses e LEFT OUTER JOIN categories AS c ON (c.id = e.category_id AND ? = c.name) WHERE e.id > 0`, []string{"? = c.name"}},
		{`SELECT e.id FROM expenses e LEFT JOIN categories ON categories.id = e.category_id AND categories.name = 'Food'`, []string{"categories.name = ?"}},
		{`SELECT e.id FROM expenses e LEFT JOIN categories c ON c.id = e.category_id WHERE c.name = ?`, nil},
		{`SELECT e.id FROM expenses e JOIN categories c ON c.id = e.category_id AND c.name = ?`, nil},
		// A condition on the left side's column is not about the joined table.
		{`SELECT u.id FROM users u LEFT JOIN expenses e ON e.user_id = u.id AND u.id = ?`, nil},
		{`SELECT u.id FROM users u LEFT JOIN expenses e ON e.user_id = u.id AND e.amount_cents > ?1 JOIN x ON 1`, []string{"e.amount_cents > ??"}},
	}
	for _, tt := range tests {
		if got := LeftJoinFilters(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("LeftJoinFilters(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
