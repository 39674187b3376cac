// Package capstone is the reference solution of lesson 15.
package capstone

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// CategoryTotal is what a user spent in one category, in cents.
type CategoryTotal struct {
	Category   string `db:"category"`
	TotalCents int64  `db:"total_cents"`
}

// UserReport is one user's part of the report: what they spent in all, and
// per category.
type UserReport struct {
	ID         int64  `db:"id"`
	Name       string `db:"name"`
	TotalCents int64  `db:"total_cents"`
	Categories []CategoryTotal
}

// BudgetReport returns every user in id order, each with the total they
// spent and their totals per category, highest first (equal totals by the
// category's name), in two statements whatever the number of users: the
// users, then every user's totals at once, summed by the database.
func BudgetReport(db *sqlx.DB) ([]UserReport, error) {
	var users []UserReport
	if err := db.Select(&users, `SELECT id, name, 0 AS total_cents FROM users ORDER BY id`); err != nil {
		return nil, fmt.Errorf("loading users: %w", err)
	}
	var totals []struct {
		UserID int64 `db:"user_id"`
		CategoryTotal
	}
	err := db.Select(&totals, `
		SELECT e.user_id, c.name AS category, sum(e.amount_cents) AS total_cents
		FROM expenses e
		JOIN categories c ON c.id = e.category_id
		GROUP BY e.user_id, c.id
		ORDER BY e.user_id, total_cents DESC, c.name`)
	if err != nil {
		return nil, fmt.Errorf("loading totals: %w", err)
	}
	index := make(map[int64]int, len(users))
	for i, u := range users {
		index[u.ID] = i
	}
	for _, t := range totals {
		u := &users[index[t.UserID]]
		u.Categories = append(u.Categories, t.CategoryTotal)
		u.TotalCents += t.TotalCents
	}
	return users, nil
}
