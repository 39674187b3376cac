// Package joinaggregate is lesson 5 of the workbook: add up rows through a
// join, in the database.
//
// This is your file: write SpendingByCategory, then run
//
//	go run ./cmd/workbook run 5
package joinaggregate

import (
	"errors"

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
// statement. A user with no expenses gives an empty list and no error.
func SpendingByCategory(db *sqlx.DB, email string) ([]CategoryTotal, error) {
	// TODO: replace this with one SELECT that joins users, expenses and
	// categories, keeps the user's rows, and adds them up per category.
	return nil, errors.New("not written yet: add up the user's expenses per category with one SELECT that joins users, expenses and categories and uses GROUP BY (see \"Your task\" in lessons/05-join-aggregate/README.md)")
}
