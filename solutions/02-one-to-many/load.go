// Package onetomany is the reference solution of lesson 2.
package onetomany

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// User is a user with the expenses they spent: the "one" side.
type User struct {
	ID       int64      `db:"id"`
	Email    string     `db:"email"`
	Name     string     `db:"name"`
	Expenses []*Expense `db:"-"`
}

// Expense is one expense: the "many" side. UserID is the foreign key, as
// the row holds it; Owner is the user it points at, as a Go value.
type Expense struct {
	ID          int64  `db:"id"`
	UserID      int64  `db:"user_id"`
	Description string `db:"description"`
	AmountCents int64  `db:"amount_cents"`
	// Owner is left out of JSON (json:"-"): a user holds its expenses and
	// each expense holds its user, a cycle that JSON cannot write out.
	Owner *User `db:"-" json:"-"`
}

// LoadUser returns the user with this email and all of their expenses in id
// order, each expense's Owner pointing at the returned *User itself, in two
// statements. A user who spent nothing comes back with no expenses; an email
// that no user has gives an error that errors.Is matches to sql.ErrNoRows.
func LoadUser(db *sqlx.DB, email string) (*User, error) {
	u := new(User)
	if err := db.Get(u, `SELECT id, email, name FROM users WHERE email = ?`, email); err != nil {
		return nil, fmt.Errorf("loading the user %s: %w", email, err)
	}
	if err := loadExpenses(db, u); err != nil {
		return nil, err
	}
	return u, nil
}

// LoadExpense returns the expense with this id, its Owner set to the user it
// belongs to, in two statements. That owner comes with all of their
// expenses, and the returned expense is the one in the owner's list. An id
// that no expense has gives an error that errors.Is matches to
// sql.ErrNoRows.
func LoadExpense(db *sqlx.DB, id int64) (*Expense, error) {
	owner := new(User)
	err := db.Get(owner, `
		SELECT u.id, u.email, u.name
		FROM users u
		JOIN expenses e ON e.user_id = u.id
		WHERE e.id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("loading the owner of expense %d: %w", id, err)
	}
	if err := loadExpenses(db, owner); err != nil {
		return nil, err
	}
	for _, e := range owner.Expenses {
		if e.ID == id {
			return e, nil
		}
	}
	// Only a concurrent delete between the two statements gets here.
	return nil, fmt.Errorf("expense %d is no longer among the expenses of user %d", id, owner.ID)
}

// loadExpenses loads the expenses of u in id order into u.Expenses and
// points each one's Owner at u: one *User for the user's row, however many
// expenses refer to it.
func loadExpenses(db *sqlx.DB, u *User) error {
	err := db.Select(&u.Expenses, `
		SELECT id, user_id, description, amount_cents
		FROM expenses
		WHERE user_id = ?
		ORDER BY id`, u.ID)
	if err != nil {
		return fmt.Errorf("loading the expenses of user %d: %w", u.ID, err)
	}
	for _, e := range u.Expenses {
		e.Owner = u
	}
	return nil
}
