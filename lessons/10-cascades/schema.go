// Package cascades is lesson 10 of the workbook: what deleting a row does to
// the rows that point at it is a decision, and the schema is where it is
// written down.
//
// This is your file: give each foreign key in Schema its ON DELETE action,
// then run
//
//	go run ./cmd/workbook run 10
package cascades

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Schema creates the budget tracker's tables. The checks run it on an empty
// database, copy the lesson's rows into the tables by column name, and then
// delete users and categories to see what your foreign keys do. Keep the
// tables and their columns; what you decide is what happens on delete.
//
// TODO: none of the foreign keys below says what deleting its parent does,
// so each one takes SQLite's default, NO ACTION: no user or category that a
// row still points at can be deleted at all. Decide, for each foreign key,
// what the business needs (see "Your task" in lessons/10-cascades/README.md),
// and write it as an ON DELETE clause.
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
    user_id      INTEGER NOT NULL REFERENCES users(id),      -- who spent it
    category_id  INTEGER NOT NULL REFERENCES categories(id), -- what it was for
    split_with   INTEGER REFERENCES users(id),               -- who shares the cost, if anyone
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
