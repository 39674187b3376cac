// Package orphans is the reference solution of lesson 11.
package orphans

import (
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
	kept := make(map[int64]bool, len(u.Expenses))
	for _, e := range u.Expenses {
		kept[e.ID] = true
	}
	// The orphans are what was loaded and is gone: not "everything the
	// collection does not hold", which would take rows added since the load
	// (and, without the user_id scope, every other user's expenses).
	var orphans []int64
	for _, id := range u.loaded {
		if !kept[id] {
			orphans = append(orphans, id)
		}
	}
	if len(orphans) == 0 {
		return nil
	}
	// user_id = ? is belt and braces: the ids came from u's own rows, and
	// the scope keeps a wrong id from ever reaching another user's.
	q, args, err := sqlx.In(`DELETE FROM expenses WHERE user_id = ? AND id IN (?)`, u.ID, orphans)
	if err != nil {
		return err
	}
	if _, err := db.Exec(db.Rebind(q), args...); err != nil {
		return fmt.Errorf("deleting the expenses removed from user %d: %w", u.ID, err)
	}
	// The collection and the table agree again: what is loaded now is what
	// the slice holds.
	u.loaded = u.loaded[:0]
	for _, e := range u.Expenses {
		u.loaded = append(u.loaded, e.ID)
	}
	return nil
}
