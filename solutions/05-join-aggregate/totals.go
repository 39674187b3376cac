// Package joinaggregate is the reference solution of lesson 5.
package joinaggregate

import (
	"github.com/jmoiron/sqlx"
)

// CategoryTotal is what one user spent in one category, in cents: 7125 is
// $71.25. The db tags name the columns sqlx fills each field from.
type CategoryTotal struct {
	Category   string `db:"category"`
	TotalCents int64  `db:"total_cents"`
}

// SpendingByCategory returns what the user with this email spent in each
// category they spent in: one CategoryTotal per category, the highest total
// first, equal totals in alphabetical order of the category's name, in one
// statement. A user with no expenses gives an empty list and no error: the
// join finds no rows, and GROUP BY makes no group of nothing.
func SpendingByCategory(db *sqlx.DB, email string) ([]CategoryTotal, error) {
	var out []CategoryTotal
	err := db.Select(&out, `
		SELECT c.name AS category, sum(e.amount_cents) AS total_cents
		FROM users u
		JOIN expenses e ON e.user_id = u.id
		JOIN categories c ON c.id = e.category_id
		WHERE u.email = ?
		GROUP BY c.id, c.name
		ORDER BY total_cents DESC, c.name`, email)
	return out, err
}
