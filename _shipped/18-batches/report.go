// Package batches is lesson 18 of the workbook: batches past SQLite's limits.
//
// This is your file. SpendingReport below is lesson 7's answer: the users,
// then the expenses of all of them in one statement, WHERE user_id IN (?, ?,
// …) with one ? per user. Past SQLite's limit on ?s in one statement
// (32,766) it stops working. Make it work for any number of users, then run
//
//	go run ./cmd/workbook run 18
package batches

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
// in id order: the users, then the expenses of all of them in one
// statement, with one ? per user id. At 40,000 users SQLite refuses that
// statement.
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
