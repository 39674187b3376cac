// Package batches is the reference solution of lesson 18.
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

// batchSize is how many user ids one statement of the report carries:
// SQLAlchemy's selectinload sends 500 at a time, far below SQLite's limit
// of 32,766 values in one statement.
const batchSize = 500

// SpendingReport returns every user in id order, each with their expenses
// in id order, in 1 + ⌈users / 500⌉ statements: the users, then the
// expenses of each run of 500 of them. A user's expenses all come in the
// batch of that user, ordered by id, so each list is in id order.
func SpendingReport(db *sqlx.DB) ([]UserExpenses, error) {
	var users []UserExpenses
	if err := db.Select(&users, `SELECT id, name FROM users ORDER BY id`); err != nil {
		return nil, fmt.Errorf("loading users: %w", err)
	}
	index := make(map[int64]int, len(users))
	for i, u := range users {
		index[u.ID] = i
	}
	for start := 0; start < len(users); start += batchSize {
		batch := users[start:min(start+batchSize, len(users))]
		ids := make([]int64, len(batch))
		for i, u := range batch {
			ids[i] = u.ID
		}
		q, args, err := sqlx.In(`
			SELECT id, user_id, category_id, description, amount_cents
			FROM expenses
			WHERE user_id IN (?)
			ORDER BY id`, ids)
		if err != nil {
			return nil, fmt.Errorf("expenses of users %d to %d: %w", ids[0], ids[len(ids)-1], err)
		}
		var expenses []Expense
		if err := db.Select(&expenses, db.Rebind(q), args...); err != nil {
			return nil, fmt.Errorf("loading the expenses of users %d to %d: %w", ids[0], ids[len(ids)-1], err)
		}
		for _, e := range expenses {
			u := &users[index[e.UserID]]
			u.Expenses = append(u.Expenses, e)
		}
	}
	return users, nil
}
