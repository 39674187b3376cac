// Package eagerjoin is lesson 8 of the workbook: eager loading with one
// join.
//
// This is your file: bring SpendingReport to one statement without changing
// what it returns, then run
//
//	go run ./cmd/workbook run 8
package eagerjoin

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
// This is lesson 7's answer: the users, then the expenses of all of them
// with one IN (...) list, 2 statements whatever the number of users. TODO:
// return the same report from ONE statement that joins users to expenses.
func SpendingReport(db *sqlx.DB) ([]UserExpenses, error) {
	var users []UserExpenses
	if err := db.Select(&users, `SELECT id, name FROM users ORDER BY id`); err != nil {
		return nil, fmt.Errorf("loading users: %w", err)
	}
	if len(users) == 0 {
		return users, nil
	}
	ids := make([]int64, len(users))
	index := make(map[int64]int, len(users))
	for i, u := range users {
		ids[i] = u.ID
		index[u.ID] = i
	}
	q, args, err := sqlx.In(`
		SELECT id, user_id, category_id, description, amount_cents
		FROM expenses
		WHERE user_id IN (?)
		ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	var expenses []Expense
	if err := db.Select(&expenses, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("loading expenses: %w", err)
	}
	for _, e := range expenses {
		u := &users[index[e.UserID]]
		u.Expenses = append(u.Expenses, e)
	}
	return users, nil
}
