// Package onetomany is lesson 2 of the workbook: one-to-many, both
// directions.
//
// This is your file: fix LoadUser and LoadExpense, then run
//
//	go run ./cmd/workbook run 2
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
// order, each expense's Owner pointing at the returned *User itself. A user
// who spent nothing comes back with no expenses; an email that no user has
// gives an error that errors.Is matches to sql.ErrNoRows.
//
// TODO: the user and the expenses come back right, but each expense's owner
// is fetched again, one SELECT per expense, into a new *User every time: two
// values for one row, and a statement per expense. Point every expense at
// the user you already have.
func LoadUser(db *sqlx.DB, email string) (*User, error) {
	u := new(User)
	if err := db.Get(u, `SELECT id, email, name FROM users WHERE email = ?`, email); err != nil {
		return nil, fmt.Errorf("loading the user %s: %w", email, err)
	}
	err := db.Select(&u.Expenses, `
		SELECT id, user_id, description, amount_cents
		FROM expenses
		WHERE user_id = ?
		ORDER BY id`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("loading the expenses of %s: %w", email, err)
	}
	for _, e := range u.Expenses {
		owner, err := loadOwner(db, e)
		if err != nil {
			return nil, err
		}
		e.Owner = owner
	}
	return u, nil
}

// LoadExpense returns the expense with this id, its Owner set to the user it
// belongs to. That owner comes with all of their expenses, as LoadUser
// returns them, and the returned expense is one of them: the same *Expense,
// not a copy. An id that no expense has gives an error that errors.Is
// matches to sql.ErrNoRows.
//
// TODO: the owner comes back without their expenses, so from the expense you
// reach a user who seems to have spent nothing.
func LoadExpense(db *sqlx.DB, id int64) (*Expense, error) {
	e := new(Expense)
	if err := db.Get(e, `SELECT id, user_id, description, amount_cents FROM expenses WHERE id = ?`, id); err != nil {
		return nil, fmt.Errorf("loading the expense %d: %w", id, err)
	}
	owner, err := loadOwner(db, e)
	if err != nil {
		return nil, err
	}
	e.Owner = owner
	return e, nil
}

// loadOwner fetches the user e belongs to, the way a lazy relationship does
// when you first touch it: one SELECT, and a new *User each time.
func loadOwner(db *sqlx.DB, e *Expense) (*User, error) {
	owner := new(User)
	if err := db.Get(owner, `SELECT id, email, name FROM users WHERE id = ?`, e.UserID); err != nil {
		return nil, fmt.Errorf("loading the owner of expense %d: %w", e.ID, err)
	}
	return owner, nil
}
