// Package fkindexes is lesson 16 of the workbook: SQLite indexes the parent
// side of a foreign key (its primary key) but never the child side, and
// every lookup of a user's entries, and every delete of a user, pays for
// that with a read of the whole child table.
//
// This is your file: write the schema and the statements below, then run
//
//	go run ./cmd/workbook run 16
package fkindexes

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// Schema creates the weight tracker's tables. The checks run it on an
// empty database and copy the lesson's rows into the tables by column name.
const Schema = `
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    weight_unit TEXT NOT NULL DEFAULT 'lbs' CHECK (weight_unit IN ('lbs', 'kg'))
);

CREATE TABLE weight_entries (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weight      REAL NOT NULL,
    recorded_at TEXT NOT NULL      -- YYYY-MM-DD
);

-- The foreign key's columns first, then the order a user's entries are read in.
CREATE INDEX weight_entries_user_id_recorded_at ON weight_entries(user_id, recorded_at);
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
	id := uuid.NewString()
	if _, err := db.Exec(`INSERT INTO users (id, email, name, weight_unit) VALUES (?, ?, ?, ?)`, id, email, name, unit); err != nil {
		return "", fmt.Errorf("adding user %s: %w", email, err)
	}
	return id, nil
}

// AddEntry records a weigh-in of user and returns the id it made for it.
func AddEntry(db *sqlx.DB, userID string, weight float64, recordedAt string) (string, error) {
	id := uuid.NewString()
	if _, err := db.Exec(`INSERT INTO weight_entries (id, user_id, weight, recorded_at) VALUES (?, ?, ?, ?)`,
		id, userID, weight, recordedAt); err != nil {
		return "", fmt.Errorf("adding an entry for %s: %w", userID, err)
	}
	return id, nil
}

// Entries returns the entries of user, newest first.
func Entries(db *sqlx.DB, userID string) ([]Entry, error) {
	var out []Entry
	err := db.Select(&out, `SELECT id, weight, recorded_at FROM weight_entries
		WHERE user_id = ? ORDER BY recorded_at DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("loading the entries of %s: %w", userID, err)
	}
	return out, nil
}

// Latest returns each user's most recent entry, by the users' emails;
// users with no entries are left out.
func Latest(db *sqlx.DB) ([]LatestEntry, error) {
	var out []LatestEntry
	err := db.Select(&out, `SELECT u.email, u.name, u.weight_unit, e.weight, e.recorded_at
		FROM users u
		JOIN weight_entries e ON e.id = (
			SELECT id FROM weight_entries WHERE user_id = u.id ORDER BY recorded_at DESC LIMIT 1)
		ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("loading the latest entries: %w", err)
	}
	return out, nil
}

// DeleteProfile deletes user and, through the foreign key's ON DELETE
// CASCADE, every entry of theirs, in one statement.
func DeleteProfile(db *sqlx.DB, userID string) error {
	if _, err := db.Exec(`DELETE FROM users WHERE id = ?`, userID); err != nil {
		return fmt.Errorf("deleting user %s: %w", userID, err)
	}
	return nil
}
