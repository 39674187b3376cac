// Package relatedinserts is lesson 3 of the workbook: a parent and its
// first child written as one unit of work.
//
// This is your file: fix OpenAccount, then run
//
//	go run ./cmd/workbook run 3
package relatedinserts

import (
	"fmt"

	"github.com/jmoiron/sqlx"
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
// is the deposit, and a 'DEP' row in activity for that account. It writes
// both rows or neither, and returns the new account's id.
//
// An email that another account already has gives an *EmailTakenError.
//
// TODO: as written, the two INSERTs are separate: when the second one fails,
// the first stays, and the bank has an account whose balance no deposit
// explains. Make them one transaction. And turn SQLite's refusal of a
// duplicate email into an *EmailTakenError.
func OpenAccount(db *sqlx.DB, owner, email string, depositCents int64) (int64, error) {
	res, err := db.Exec(`INSERT INTO accounts (owner, email, balance_cents) VALUES (?, ?, ?)`,
		owner, email, depositCents)
	if err != nil {
		return 0, fmt.Errorf("opening an account for %s: %w", email, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	_, err = db.Exec(`INSERT INTO activity (account_id, activity_type, amount_cents) VALUES (?, 'DEP', ?)`,
		id, depositCents)
	if err != nil {
		return 0, fmt.Errorf("recording the first deposit of account %d: %w", id, err)
	}
	return id, nil
}
