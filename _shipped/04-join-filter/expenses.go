// Package joinfilter is lesson 4 of the workbook: filter rows through a join.
//
// This is your file: write ExpensesInCategory, then run
//
//	go run ./cmd/workbook run 4
package joinfilter

import (
	"errors"

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
	// TODO: replace this with one SELECT that joins expenses to categories
	// (to filter by the category's name) and to users (for the owner).
	return nil, errors.New("not written yet: return the category's expenses with one SELECT that joins expenses, categories and users (see \"Your task\" in lessons/04-join-filter/README.md)")
}
