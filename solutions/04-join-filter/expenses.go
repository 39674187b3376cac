// Package joinfilter is the reference solution of lesson 4.
package joinfilter

import (
	"github.com/jmoiron/sqlx"
)

// CategoryExpense is one expense in a category, with the name of the user
// who spent it. The db tags name the columns sqlx fills each field from.
type CategoryExpense struct {
	ID          int64  `db:"id"`
	Description string `db:"description"`
	AmountCents int64  `db:"amount_cents"`
	Owner       string `db:"owner"`
}

// ExpensesInCategory returns the expenses of the category called category,
// highest amount first (equal amounts by id, lowest first), each with its
// owner's name, in one statement. A category that does not exist, or has no
// expenses, gives an empty list and no error.
func ExpensesInCategory(db *sqlx.DB, category string) ([]CategoryExpense, error) {
	var out []CategoryExpense
	err := db.Select(&out, `
		SELECT e.id, e.description, e.amount_cents, u.name AS owner
		FROM expenses e
		JOIN categories c ON c.id = e.category_id
		JOIN users u ON u.id = e.user_id
		WHERE c.name = ?
		ORDER BY e.amount_cents DESC, e.id`, category)
	return out, err
}
