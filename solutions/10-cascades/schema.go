// Package cascades is the reference solution of lesson 10: each foreign key
// says what deleting its parent does.
package cascades

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Schema creates the budget tracker's tables, with a delete rule on every
// foreign key:
//
//   - An expense belongs to the user who spent it: it goes with them
//     (CASCADE).
//   - A category is shared by everyone's expenses: it cannot be deleted
//     while any expense uses it, not even for a moment inside a transaction
//     (RESTRICT).
//   - Sharing an expense is optional: when the user it is shared with is
//     deleted, the expense stays with its owner, shared with nobody
//     (SET NULL, on a column that allows NULL).
const Schema = `
CREATE TABLE users (
    id    INTEGER PRIMARY KEY,
    email TEXT    NOT NULL UNIQUE,
    name  TEXT    NOT NULL
);

CREATE TABLE categories (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL DEFAULT '#FF6B6B'
);

CREATE TABLE expenses (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category_id  INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
    split_with   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    description  TEXT    NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    expense_date TEXT    NOT NULL
);

CREATE INDEX expenses_user_id ON expenses(user_id);
CREATE INDEX expenses_category_id ON expenses(category_id);
CREATE INDEX expenses_split_with ON expenses(split_with);
`

// CreateSchema creates the tables of Schema in db.
func CreateSchema(db *sqlx.DB) error {
	if _, err := db.Exec(Schema); err != nil {
		return fmt.Errorf("creating the schema: %w", err)
	}
	return nil
}
