// Package fkindexes is lesson 16 of the workbook: SQLite indexes the parent
// side of a foreign key (its primary key) but never the child side, and
// every lookup of a user's entries, and every delete of a user, pays for
// that with a read of the whole child table.
//
// This is your file: finish the schema and write the statements below, then
// run
//
//	go run ./cmd/workbook run 16
package fkindexes

import (
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Schema creates the weight tracker's tables. The checks run it on an
// empty database and copy the lesson's rows into the tables by column name.
//
// TODO: the foreign key below says nothing about deletes (so SQLite refuses
// to delete a user who has entries), and nothing indexes it (so finding a
// user's entries reads them all). See "Your task" in
// lessons/16-index-foreign-keys/README.md.
const Schema = `
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    weight_unit TEXT NOT NULL DEFAULT 'lbs' CHECK (weight_unit IN ('lbs', 'kg'))
);

CREATE TABLE weight_entries (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    weight      REAL NOT NULL,
    recorded_at TEXT NOT NULL      -- YYYY-MM-DD
);
`

// CreateSchema creates the tables of Schema in db.
func CreateSchema(db *sqlx.DB) error {
	if _, err := db.Exec(Schema); err != nil {
		return fmt.Errorf("creating the schema: %w", err)
	}
	return nil
}

// Entry is one weigh-in.
type Entry struct {
	ID         string  `db:"id"`
	Weight     float64 `db:"weight"`
	RecordedAt string  `db:"recorded_at"`
}

// LatestEntry is a user's most recent weigh-in.
type LatestEntry struct {
	Email      string  `db:"email"`
	Name       string  `db:"name"`
	Unit       string  `db:"weight_unit"`
	Weight     float64 `db:"weight"`
	RecordedAt string  `db:"recorded_at"`
}

// AddUser adds a user and returns the id it made for them: a new random
// UUID, in its canonical form.
func AddUser(db *sqlx.DB, email, name, unit string) (string, error) {
	// TODO: insert the user with an id your code makes, a new random UUID (uuid.NewString()), and return it
	return "", errors.New("AddUser is not written yet: insert the user with an id your code makes, a new random UUID (uuid.NewString()), and return it")
}

// AddEntry records a weigh-in of user and returns the id it made for it.
func AddEntry(db *sqlx.DB, userID string, weight float64, recordedAt string) (string, error) {
	// TODO: insert the entry with an id your code makes, as AddUser does, and return it
	return "", errors.New("AddEntry is not written yet: insert the entry with an id your code makes, as AddUser does, and return it")
}

// Entries returns the entries of user, newest first.
func Entries(db *sqlx.DB, userID string) ([]Entry, error) {
	// TODO: select the user's entries, newest first
	return nil, errors.New("Entries is not written yet: select the user's entries, newest first")
}

// Latest returns each user's most recent entry, by the users' emails;
// users with no entries are left out.
func Latest(db *sqlx.DB) ([]LatestEntry, error) {
	// TODO: select each user's most recent entry, by email
	return nil, errors.New("Latest is not written yet: select each user's most recent entry, by email")
}

// DeleteProfile deletes user and, through the foreign key's ON DELETE
// CASCADE, every entry of theirs, in one statement.
func DeleteProfile(db *sqlx.DB, userID string) error {
	if _, err := db.Exec(`DELETE FROM users WHERE id = ?`, userID); err != nil {
		return fmt.Errorf("deleting user %s: %w", userID, err)
	}
	return nil
}
