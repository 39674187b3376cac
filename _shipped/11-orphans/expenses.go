// Package orphans is lesson 11 of the workbook: an expense removed from its
// user's collection is deleted, and nothing else is.
//
// This is your file: write DeleteOrphans, then run
//
//	go run ./cmd/workbook run 11
package orphans

import (
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Expense is one of a user's expenses, in cents: 1875 is $18.75.
type Expense struct {
	ID          int64  `db:"id"`
	CategoryID  int64  `db:"category_id"`
	Description string `db:"description"`
	AmountCents int64  `db:"amount_cents"`
}

// User is a user with their expenses, the collection. The program edits
// Expenses: an expense it takes out of the slice is one the user no longer
// has. DeleteOrphans then makes the table agree.
type User struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	Expenses []Expense

	// loaded holds the ids of the expenses as LoadUser read them: what
	// the table held for this user when the collection was loaded.
	loaded []int64
}

// LoadUser loads the user with the given id and their expenses in id order,
// in two statements, and remembers which expenses it loaded.
func LoadUser(db *sqlx.DB, id int64) (*User, error) {
	u := new(User)
	if err := db.Get(u, `SELECT id, name FROM users WHERE id = ?`, id); err != nil {
		return nil, fmt.Errorf("loading user %d: %w", id, err)
	}
	err := db.Select(&u.Expenses, `
		SELECT id, category_id, description, amount_cents
		FROM expenses
		WHERE user_id = ?
		ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("loading the expenses of user %d: %w", id, err)
	}
	for _, e := range u.Expenses {
		u.loaded = append(u.loaded, e.ID)
	}
	return u, nil
}

// DeleteOrphans deletes the expenses that LoadUser loaded for u and that are
// no longer in u.Expenses, in one statement. It touches no other row: not
// another user's expenses, and not an expense of u's that the collection
// never held. When nothing was removed, it sends nothing.
func DeleteOrphans(db *sqlx.DB, u *User) error {
	// TODO: find the ids in u.loaded that u.Expenses no longer holds, and
	// delete those rows with one DELETE.
	return errors.New("not written yet: delete the expenses that were loaded but are gone from u.Expenses, " +
		"and no other row (see \"Your task\" in lessons/11-orphans/README.md)")
}
