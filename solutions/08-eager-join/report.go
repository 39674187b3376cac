// Package eagerjoin is the reference solution of lesson 8.
package eagerjoin

import (
	"database/sql"
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

// reportRow is one row of the join: a user, and one of their expenses or,
// for a user with none, NULLs in every expense column.
type reportRow struct {
	UserID      int64          `db:"user_id"`
	Name        string         `db:"name"`
	ExpenseID   sql.NullInt64  `db:"expense_id"`
	CategoryID  sql.NullInt64  `db:"category_id"`
	Description sql.NullString `db:"description"`
	AmountCents sql.NullInt64  `db:"amount_cents"`
}

// SpendingReport returns every user in id order, each with their expenses
// in id order, in one statement: users LEFT JOIN expenses, as SQLAlchemy's
// joinedload does. The rows come ordered by user, so each user's rows are
// together; a new user id starts a new user.
func SpendingReport(db *sqlx.DB) ([]UserExpenses, error) {
	rows, err := db.Queryx(`
		SELECT u.id AS user_id, u.name,
		       e.id AS expense_id, e.category_id, e.description, e.amount_cents
		FROM users u
		LEFT JOIN expenses e ON e.user_id = u.id
		ORDER BY u.id, e.id`)
	if err != nil {
		return nil, fmt.Errorf("loading users with their expenses: %w", err)
	}
	defer rows.Close()
	var users []UserExpenses
	for rows.Next() {
		var r reportRow
		if err := rows.StructScan(&r); err != nil {
			return nil, fmt.Errorf("reading a row of the report: %w", err)
		}
		if len(users) == 0 || users[len(users)-1].ID != r.UserID {
			users = append(users, UserExpenses{ID: r.UserID, Name: r.Name})
		}
		if !r.ExpenseID.Valid {
			continue // the user has no expenses: one row of NULLs, nothing to add
		}
		u := &users[len(users)-1]
		u.Expenses = append(u.Expenses, Expense{
			ID:          r.ExpenseID.Int64,
			UserID:      r.UserID,
			CategoryID:  r.CategoryID.Int64,
			Description: r.Description.String,
			AmountCents: r.AmountCents.Int64,
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loading users with their expenses: %w", err)
	}
	return users, nil
}
