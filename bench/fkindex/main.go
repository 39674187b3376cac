// Fkindex measures what lesson 16's index saves: on the weight tracker at
// the scale of its at-scale check (3,000 users with 50 entries each, made
// by dataset.WeightsAtScale), the time of loading one user's entries
// newest first and of deleting one profile with its entries (ON DELETE
// CASCADE), with no index on weight_entries.user_id (SCAN) and with one on
// (user_id, recorded_at) (SEARCH). The two databases are timed in turn, a
// round of each at a time, so that a busy machine slows both alike; it
// prints each median and their ratio. Lesson 16's README quotes its
// output.
//
// Run it from the workbook's root:
//
//	go run ./bench/fkindex
//	go run ./bench/fkindex -rounds 50
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"workbook/internal/dataset"
	"workbook/internal/sqlite"
)

const schema = `
CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    weight_unit TEXT NOT NULL DEFAULT 'lbs' CHECK (weight_unit IN ('lbs', 'kg')));
CREATE TABLE weight_entries (id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weight REAL NOT NULL, recorded_at TEXT NOT NULL);
`

func main() {
	users := flag.Int("users", 3000, "users in the generated set")
	perUser := flag.Int("entries", 50, "entries of each user")
	rounds := flag.Int("rounds", 30, "timed rounds of each workload on each database")
	flag.Parse()
	if err := run(*users, *perUser, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "fkindex:", err)
		os.Exit(1)
	}
}

type db struct {
	name string
	*sql.DB
	entries, deletes []time.Duration
}

func run(users, perUser, rounds int) error {
	dir, err := os.MkdirTemp("", "fkindex")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	us, es := dataset.WeightsAtScale(users, perUser)
	dbs := []*db{{name: "no index (SCAN weight_entries)"}, {name: "index on (user_id, recorded_at) (SEARCH)"}}
	for i, d := range dbs {
		extra := ""
		if i == 1 {
			extra = "CREATE INDEX weight_entries_user_id_recorded_at ON weight_entries(user_id, recorded_at);"
		}
		d.DB, err = build(filepath.Join(dir, fmt.Sprintf("%d.db", i)), schema+extra, us, es)
		if err != nil {
			return err
		}
		defer d.Close()
	}
	for r := range rounds {
		u := us[(r*97+13)%len(us)].ID // another user each round
		for _, d := range dbs {
			t, err := timeEntries(d.DB, u)
			if err != nil {
				return err
			}
			d.entries = append(d.entries, t)
			if t, err = timeDelete(d.DB, u); err != nil {
				return err
			}
			d.deletes = append(d.deletes, t)
		}
	}
	fmt.Printf("%d users, %d entries each (%d entries); median of %d rounds\n", users, perUser, len(es), rounds)
	for _, d := range dbs {
		fmt.Printf("  %-42s  Entries %9s   DeleteProfile %9s\n", d.name, median(d.entries), median(d.deletes))
	}
	fmt.Printf("  the scan takes %.0f× as long to load a user's entries, %.0f× as long to delete a profile\n",
		float64(median(dbs[0].entries))/float64(median(dbs[1].entries)),
		float64(median(dbs[0].deletes))/float64(median(dbs[1].deletes)))
	return nil
}

func build(path, ddl string, us []dataset.WeightUser, es []dataset.WeightEntry) (*sql.DB, error) {
	d, err := sql.Open("sqlite3", sqlite.DSN(path, sqlite.Options{ForeignKeys: true}))
	if err != nil {
		return nil, err
	}
	d.SetMaxOpenConns(1)
	if _, err := d.Exec(ddl); err != nil {
		return nil, err
	}
	tx, err := d.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, u := range us {
		if _, err := tx.Exec(`INSERT INTO users (id, email, name, weight_unit) VALUES (?, ?, ?, ?)`, u.ID, u.Email, u.Name, u.Unit); err != nil {
			return nil, err
		}
	}
	for _, e := range es {
		if _, err := tx.Exec(`INSERT INTO weight_entries (id, user_id, weight, recorded_at) VALUES (?, ?, ?, ?)`, e.ID, e.UserID, e.Weight, e.RecordedAt); err != nil {
			return nil, err
		}
	}
	return d, tx.Commit()
}

// timeEntries times lesson 16's Entries query for user, rows read.
func timeEntries(d *sql.DB, user string) (time.Duration, error) {
	start := time.Now()
	rows, err := d.Query(`SELECT id, weight, recorded_at FROM weight_entries WHERE user_id = ? ORDER BY recorded_at DESC`, user)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		var id, at string
		var w float64
		if err := rows.Scan(&id, &w, &at); err != nil {
			rows.Close()
			return 0, err
		}
		n++
	}
	rows.Close()
	if n == 0 {
		return 0, fmt.Errorf("user %s has no entries", user)
	}
	return time.Since(start), rows.Err()
}

// timeDelete times DeleteProfile's statement for user inside a
// transaction it then rolls back, so that every round finds the same rows.
func timeDelete(d *sql.DB, user string) (time.Duration, error) {
	tx, err := d.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	start := time.Now()
	if _, err := tx.Exec(`DELETE FROM users WHERE id = ?`, user); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Microsecond / 10)
}
