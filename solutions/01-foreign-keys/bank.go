// Package foreignkeys is the reference solution of lesson 1.
package foreignkeys

import (
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// driverName is the database/sql driver Open uses: "sqlite3" is
// github.com/mattn/go-sqlite3. The lesson's checks swap in a wrapper around
// the same driver that counts your statements; leave this line as it is.
var driverName = "sqlite3"

// Activity is a deposit ("DEP") or a withdrawal ("WD") on an account, in
// cents: 20000 is $200.00.
type Activity struct {
	AccountID   int64
	Type        string
	AmountCents int64
}

// AccountNotFoundError is the error RecordActivity returns for an activity
// on an account that does not exist.
type AccountNotFoundError struct {
	AccountID int64
	Err       error // what SQLite reported
}

func (e *AccountNotFoundError) Error() string {
	return fmt.Sprintf("account %d does not exist", e.AccountID)
}

func (e *AccountNotFoundError) Unwrap() error { return e.Err }

// Open opens the bank database at path. The _foreign_keys option makes
// go-sqlite3 run PRAGMA foreign_keys = ON on every connection it opens, so
// the whole pool enforces REFERENCES, not just its first connection.
func Open(path string) (*sqlx.DB, error) {
	return sqlx.Open(driverName, "file:"+path+"?_foreign_keys=on")
}

// RecordActivity adds a to the activity table and returns the new row's id.
// For an account that does not exist it writes nothing and returns an
// *AccountNotFoundError: the database refuses the row, and one INSERT is all
// it takes.
func RecordActivity(db *sqlx.DB, a Activity) (int64, error) {
	res, err := db.Exec(`INSERT INTO activity (account_id, activity_type, amount_cents) VALUES (?, ?, ?)`,
		a.AccountID, a.Type, a.AmountCents)
	var sqliteErr sqlite3.Error
	if errors.As(err, &sqliteErr) && sqliteErr.ExtendedCode == sqlite3.ErrConstraintForeignKey {
		return 0, &AccountNotFoundError{AccountID: a.AccountID, Err: err}
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
