package checker

import "testing"

func TestWhereOnLeftJoined(t *testing.T) {
	for _, tt := range []struct{ query, column, cond string }{
		{"SELECT u.id FROM users u LEFT JOIN expenses e ON e.user_id = u.id WHERE e.amount_cents > 0 ORDER BY u.id",
			"e.amount_cents", "e.amount_cents > 0"},
		{"SELECT u.id FROM users u LEFT JOIN expenses AS e ON e.user_id = u.id WHERE u.id > 2 AND e.category_id = 3",
			"e.category_id", "e.category_id = 3"},
		{"SELECT u.id FROM users u LEFT JOIN expenses ON expenses.user_id = u.id WHERE expenses.id IS NULL", "", ""},
		{"SELECT u.id FROM users u LEFT JOIN expenses e ON e.user_id = u.id AND e.amount_cents > 0 WHERE u.id > 1", "", ""},
		{"SELECT u.id FROM users u JOIN expenses e ON e.user_id = u.id WHERE e.amount_cents > 0", "", ""},
	} {
		column, cond := whereOnLeftJoined(tt.query)
		if column != tt.column || cond != tt.cond {
			t.Errorf("whereOnLeftJoined(%q) = %q, %q; want %q, %q", tt.query, column, cond, tt.column, tt.cond)
		}
	}
}
