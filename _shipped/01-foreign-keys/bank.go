// Package foreignkeys is lesson 1 of the workbook: SQLite enforces foreign
// keys only on connections that ask for it.
//
// This is your file: edit Open and RecordActivity, then run
//
//	go run ./cmd/workbook run 1
package foreignkeys

import (
	"fmt"

	"github.com/jmoiron/sqlx"
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

// Open opens the bank database at path.
//
// TODO: as written, SQLite accepts activity for accounts that do not exist.
// Make every connection this handle opens enforce the foreign keys.
func Open(path string) (*sqlx.DB, error) {
	return sqlx.Open(driverName, "file:"+path)
}

// RecordActivity adds a to the activity table and returns the new row's id.
// For an account that does not exist it must write nothing and return an
// *AccountNotFoundError.
//
// TODO: once the database refuses the orphan, turn its error into an
// *AccountNotFoundError.
func RecordActivity(db *sqlx.DB, a Activity) (int64, error) {
	res, err := db.Exec(`INSERT INTO activity (account_id, activity_type, amount_cents) VALUES (?, ?, ?)`,
		a.AccountID, a.Type, a.AmountCents)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
