// Package normalization is the reference solution of lesson 14.
package normalization

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Tables are the normalized tables the migration creates: one row per
// account holder, and one row per deposit or withdrawal, which names its
// account by id instead of repeating the holder's name and email.
const Tables = `
CREATE TABLE accounts (
    id    INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);

CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    activity_type TEXT    NOT NULL CHECK (activity_type IN ('DEP', 'WD')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    created_at    TEXT    NOT NULL
);

CREATE INDEX activity_account_id ON activity(account_id);
`

// Migrate moves the rows of activity_log into accounts and activity, in one
// transaction, and keeps the log as it is.
//
// An account holder is known by their email: two holders may share a name.
// Grouping by name and email together means that one email logged under two
// spellings of a name would make two accounts with the same email, which
// the UNIQUE on email refuses: the migration stops rather than pick a name.
// Each activity keeps the id of its log row, so either can be traced to the
// other.
func Migrate(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback() // undoes everything unless Commit ran first
	if _, err := tx.Exec(Tables); err != nil {
		return fmt.Errorf("creating the tables: %w", err)
	}
	if _, err := tx.Exec(`
		INSERT INTO accounts (owner, email)
		SELECT owner, owner_email FROM activity_log
		GROUP BY owner, owner_email
		ORDER BY min(id)`); err != nil {
		return fmt.Errorf("filling accounts: %w", err)
	}
	if _, err := tx.Exec(`
		INSERT INTO activity (id, account_id, activity_type, amount_cents, created_at)
		SELECT l.id, a.id, l.activity_type, l.amount_cents, l.created_at
		FROM activity_log l
		JOIN accounts a ON a.email = l.owner_email
		ORDER BY l.id`); err != nil {
		return fmt.Errorf("filling activity: %w", err)
	}
	// Check before committing: every row of the log made exactly one
	// activity. Anything else means the data was not what the migration
	// assumed, and nothing should change.
	var logRows, moved int
	if err := tx.Get(&logRows, `SELECT count(*) FROM activity_log`); err != nil {
		return err
	}
	if err := tx.Get(&moved, `SELECT count(*) FROM activity`); err != nil {
		return err
	}
	if moved != logRows {
		return fmt.Errorf("the log has %d rows but %d activities were made; nothing was migrated", logRows, moved)
	}
	return tx.Commit()
}
