// Package nplusone is lesson 7 of the workbook: the N+1 problem.
//
// This is your file: make SpendingReport fast without changing what it
// returns, then run
//
//	go run ./cmd/workbook run 7
package nplusone

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Expense is one expense in the report.
type Expense struct {
	ID          int64  `db:"id"`
	UserID      int64  `db:"user_id"`
	CategoryID  int64  `db:"category_id"`
	Description string `db:"description"`
	AmountCents int64  `db:"amount_cents"`
}

// UserExpenses is a user with all of their expenses.
type UserExpenses struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	Expenses []Expense
}

// SpendingReport returns every user in id order, each with their expenses
// in id order. A user who has spent nothing is in the report with no
// expenses.
//
// It returns the right report. TODO: it also runs one statement for the
// users and then one more per user: 1 + N in all. Bring it to 2, whatever
// the number of users.
func SpendingReport(db *sqlx.DB) ([]UserExpenses, error) {
	var users []UserExpenses
	if err := db.Select(&users, `SELECT id, name FROM users ORDER BY id`); err != nil {
		return nil, fmt.Errorf("loading users: %w", err)
	}
	for i := range users {
		err := db.Select(&users[i].Expenses, `
			SELECT id, user_id, category_id, description, amount_cents
			FROM expenses
			WHERE user_id = ?
			ORDER BY id`, users[i].ID)
		if err != nil {
			return nil, fmt.Errorf("loading expenses of user %d: %w", users[i].ID, err)
		}
	}
	return users, nil
}
