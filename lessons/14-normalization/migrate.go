// Package normalization is lesson 14 of the workbook: store each fact once,
// and let foreign keys connect the tables.
//
// This is your file: write the migration in Migrate, then run
//
//	go run ./cmd/workbook run 14
package normalization

import (
	"errors"
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

// Migrate moves the rows of activity_log, where every row repeats its
// holder's name and email, into accounts and activity, and keeps the log as
// it is. It runs in one transaction: all of it happens, or none of it.
func Migrate(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback() // undoes everything unless Commit ran first
	if _, err := tx.Exec(Tables); err != nil {
		return fmt.Errorf("creating the tables: %w", err)
	}
	// TODO: fill accounts (one row per account holder) and activity (one
	// row per row of the log) from activity_log, then commit.
	return errors.New("not written yet: fill accounts and activity from activity_log, then commit (see \"Your task\" in lessons/14-normalization/README.md)")
}
