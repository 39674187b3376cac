// Package dataset builds the workbook's seeded databases (data/*.db) from the
// text they come from: a schema and seed SQL under data/<family>/, or, for
// the budget data at scale, a deterministic generator.
//
// Shipped databases are only ever read. Rebuild them after editing a source:
//
//	go run ./cmd/workbook dev data
//
// and the test in this package proves each shipped file holds exactly what
// its source builds.
package dataset

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver, registered as "sqlite3"

	"workbook/internal/sqlite"
)

// Hidden reports whether the data set named name is one the lessons never
// show: a variant, whose rows hold the cases the lesson's own data lacks.
// The scaled budget sets (budget-100, …) are not: a lesson lists them.
func Hidden(name string) bool { return strings.HasSuffix(name, "-variant") }

// Set describes one seeded database.
type Set struct {
	// Name is the data set's name and its file's name without ".db".
	Name string
	// Family names the folder under data/ that holds the schema.
	Family string
	// Seed is the seed SQL file under the family's folder, or "" for a
	// generated set.
	Seed string
	// Users is the number of users a generated budget set has.
	Users int
	// About says in a line what the set is for.
	About string
}

// Sets lists every seeded database, in the order they are built.
var Sets = []Set{
	{Name: "budget", Family: "budget", Seed: "seed.sql", About: "the budget tracker the lessons describe (Alice, Bob, ...)"},
	{Name: "budget-variant", Family: "budget", Seed: "variant.sql", About: "other budget rows, never shown in a lesson"},
	{Name: "budget-10", Family: "budget", Users: 10, About: "generated budget data, 10 users"},
	{Name: "budget-100", Family: "budget", Users: 100, About: "generated budget data, 100 users"},
	{Name: "budget-1000", Family: "budget", Users: 1000, About: "generated budget data, 1,000 users"},
	{Name: "budget-10000", Family: "budget", Users: 10000, About: "generated budget data, 10,000 users"},
	{Name: "bank", Family: "bank", Seed: "seed.sql", About: "accounts and activity, students and courses (SpongeBob, ...)"},
	{Name: "bank-variant", Family: "bank", Seed: "variant.sql", About: "other bank rows, never shown in a lesson"},
	{Name: "library", Family: "library", Seed: "seed.sql", About: "authors, books and tags (Ursula K. Le Guin, ...)"},
	{Name: "library-variant", Family: "library", Seed: "variant.sql", About: "other library rows, never shown in a lesson"},
	{Name: "weights", Family: "weights", Seed: "seed.sql", About: "a weight tracker with text UUID keys"},
	{Name: "weights-variant", Family: "weights", Seed: "variant.sql", About: "other weight tracker rows, never shown in a lesson"},
	{Name: "cascade", Family: "cascade", Seed: "seed.sql", About: "budget rows with an optional split_with link, for lesson 10's deletes"},
	{Name: "cascade-variant", Family: "cascade", Seed: "variant.sql", About: "other cascade rows, never shown in a lesson"},
}

// Lookup returns the set called name.
func Lookup(name string) (Set, bool) {
	for _, s := range Sets {
		if s.Name == name {
			return s, true
		}
	}
	return Set{}, false
}

// File returns the path of the shipped database of s under dataDir.
func (s Set) File(dataDir string) string {
	return filepath.Join(dataDir, s.Name+".db")
}

// Build writes the database of s to dest, built from the sources under
// dataDir. dest must not exist.
func Build(dataDir string, s Set, dest string) (err error) {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("dataset: %s already exists", dest)
	}
	schema, err := os.ReadFile(filepath.Join(dataDir, s.Family, "schema.sql"))
	if err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	db, err := sql.Open("sqlite3", sqlite.DSN(dest, sqlite.Options{ForeignKeys: true}))
	if err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dest)
		}
	}()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(string(schema)); err != nil {
		return fmt.Errorf("dataset %s: schema: %w", s.Name, err)
	}
	tx, err := db.Begin()
	if err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	defer tx.Rollback()
	if s.Seed != "" {
		seed, err := os.ReadFile(filepath.Join(dataDir, s.Family, s.Seed))
		if err != nil {
			return fmt.Errorf("dataset %s: %w", s.Name, err)
		}
		if _, err := tx.Exec(string(seed)); err != nil {
			return fmt.Errorf("dataset %s: %s: %w", s.Name, s.Seed, err)
		}
	} else if err := generateBudget(tx, s.Users); err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	if _, err := db.Exec("PRAGMA foreign_key_check; VACUUM"); err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	bad, err := sqlite.ForeignKeyViolations(context.Background(), db, "main")
	if err != nil {
		return fmt.Errorf("dataset %s: %w", s.Name, err)
	}
	if len(bad) > 0 {
		return fmt.Errorf("dataset %s: %d rows break a foreign key", s.Name, len(bad))
	}
	return nil
}

// Dump returns the logical content of the database at path: its schema and
// every row of every table in rowid order, as text. Two databases with the
// same dump hold the same data, whatever their bytes.
func Dump(path string) (string, error) {
	db, err := sql.Open("sqlite3", sqlite.DSN(path, sqlite.Options{ReadOnly: true}))
	if err != nil {
		return "", err
	}
	defer db.Close()
	objs, err := sqlite.Objects(context.Background(), db, "main")
	if err != nil {
		return "", fmt.Errorf("dataset: dump %s: %w", path, err)
	}
	sort.Slice(objs, func(i, j int) bool {
		if objs[i].Type != objs[j].Type {
			return objs[i].Type < objs[j].Type
		}
		return objs[i].Name < objs[j].Name
	})
	var b strings.Builder
	var tables []string
	for _, o := range objs {
		fmt.Fprintf(&b, "%s %s: %s\n", o.Type, o.Name, o.SQL)
		if o.Type == "table" {
			tables = append(tables, o.Name)
		}
	}
	for _, t := range tables {
		if err := dumpTable(db, &b, t); err != nil {
			return "", fmt.Errorf("dataset: dump %s: %w", path, err)
		}
	}
	return b.String(), nil
}

func dumpTable(db *sql.DB, b *strings.Builder, table string) error {
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM %q ORDER BY rowid", table))
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	fmt.Fprintf(b, "-- %s (%s)\n", table, strings.Join(cols, ", "))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteString("|")
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(b, "%#v", v)
		}
		b.WriteString("\n")
	}
	return rows.Err()
}

// Rebuild builds every set from its sources under dataDir and replaces the
// shipped files with the results. It reports the sets whose content changed.
func Rebuild(dataDir string) (changed []string, err error) {
	tmp, err := os.MkdirTemp("", "workbook-data-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, s := range Sets {
		built := filepath.Join(tmp, s.Name+".db")
		if err := Build(dataDir, s, built); err != nil {
			return changed, err
		}
		newDump, err := Dump(built)
		if err != nil {
			return changed, err
		}
		oldDump, err := Dump(s.File(dataDir))
		if err == nil && oldDump == newDump {
			continue
		}
		data, err := os.ReadFile(built)
		if err != nil {
			return changed, err
		}
		if err := os.WriteFile(s.File(dataDir), data, 0o444); err != nil {
			// A shipped file is read-only; replace it rather than write into it.
			os.Remove(s.File(dataDir))
			if err := os.WriteFile(s.File(dataDir), data, 0o444); err != nil {
				return changed, err
			}
		}
		changed = append(changed, s.Name)
	}
	return changed, nil
}
