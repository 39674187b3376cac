// Package relatedinserts is the reference solution of lesson 3.
package relatedinserts

import (
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// EmailTakenError is the error OpenAccount returns when another account
// already has the email.
type EmailTakenError struct {
	Email string
	Err   error // what SQLite reported
}

func (e *EmailTakenError) Error() string {
	return fmt.Sprintf("an account with the email %s already exists", e.Email)
}

func (e *EmailTakenError) Unwrap() error { return e.Err }

// OpenAccount opens an account for owner, with email, and its first deposit
// of depositCents (10000 is $100.00): a row in accounts whose balance_cents
// is the deposit, and a 'DEP' row in activity for that account. Both INSERTs
// run in one transaction, so it writes both rows or neither. The deposit's
// account_id is the id SQLite gave the new account, never a guess. It
// returns that id.
//
// An email that another account already has gives an *EmailTakenError
// holding SQLite's error.
func OpenAccount(db *sqlx.DB, owner, email string, depositCents int64) (int64, error) {
	tx, err := db.Beginx()
	if err != nil {
		return 0, err
	}
	// Rollback undoes whatever ran when a later step fails; after Commit it
	// does nothing (it returns sql.ErrTxDone, which is of no interest here).
	defer tx.Rollback()

	res, err := tx.Exec(`INSERT INTO accounts (owner, email, balance_cents) VALUES (?, ?, ?)`,
		owner, email, depositCents)
	var sqliteErr sqlite3.Error
	if errors.As(err, &sqliteErr) && sqliteErr.ExtendedCode == sqlite3.ErrConstraintUnique {
		return 0, &EmailTakenError{Email: email, Err: err}
	}
	if err != nil {
		return 0, fmt.Errorf("opening an account for %s: %w", email, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(`INSERT INTO activity (account_id, activity_type, amount_cents) VALUES (?, 'DEP', ?)`,
		id, depositCents)
	if err != nil {
		return 0, fmt.Errorf("recording the first deposit of account %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("opening an account for %s: %w", email, err)
	}
	return id, nil
}
