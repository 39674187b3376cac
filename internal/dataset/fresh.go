package dataset

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"

	"workbook/internal/sqlite"
)

// A fresh set is made at grading time from a family's variant and a seed
// that no learner has seen: the same schema, the same traps, other rows. A
// learner who copied the variant's expected results into their code gains
// nothing, since the rows those results came from are not the ones graded.
//
// Fresh perturbs the variant rather than generating from nothing, because
// the variants are written by hand around the traps the lessons set (ties,
// users without expenses, a book without tags, NULL grades, a name shared by two emails, a
// deposit exactly at a threshold, and a value repeated in a group, which
// tells sum(x) from sum(DISTINCT x): two equal expenses of one user in one
// category, two equal grades in one course). Every change keeps them, and
// keeps every order and every equality, so that an answer's verdict is the
// same whatever the seed: the seed changes what the rows say, never how
// they compare.
//
//   - Ids are renumbered in every table keyed by an INTEGER PRIMARY KEY,
//     with random gaps but in the same order, and every foreign key
//     follows. A tie broken by id is broken the same way. The last two
//     ids are consecutive, so that the id of a deleted last row is the
//     one SQLite gives the next row.
//   - The names the lessons never query by (a person's name, a book's
//     title) are renamed by putting one word, drawn by the seed, before
//     every one of them. Names that were equal still are, in any letters;
//     a name that began another still does; and they sort as before,
//     byte by byte, ignoring case or in Go.
//   - One parent row (a user, an account, an author), always the one with
//     the most children, is cloned with its children under new ids and a
//     new email ("twin." before the old one), its amounts doubled: one more
//     row of each shape, whose totals tie where the original's did and
//     nowhere else.
//   - Where no lesson compares an amount with a constant, every amount is
//     multiplied by the same prime factor between 101 and 199: sums that
//     tie still tie, amounts that are equal stay equal, and a sum divides
//     by a count (at most 100) just where it did. Grades are never changed.
//
//   - Tables keyed by a text UUID (the weight tracker's) get new random
//     UUIDs, in the same order, every foreign key following.
//
// Emails, category and tag names, course codes, dates and activity types
// stay: the checks look rows up by them (lesson 9's subjects, lesson 14's
// rename, lesson 10's Food, lesson 12's "award winner").

// freshSpec says how Fresh perturbs one family's variant.
type freshSpec struct {
	rename []string // table.column holding names to rename
	clone  []string // parent tables one row of which is cloned with its children
	scale  []string // table.column amounts scaled by one factor (never compared with constants)
	double []string // table.column amounts doubled in a clone's rows
	unique []string // table.column that must differ in a clone (emails)
	rekey  []string // tables keyed by a text UUID id, given new UUIDs (freshtext.go)
}

var freshSpecs = map[string]freshSpec{
	"budget": {
		rename: []string{"users.name"},
		clone:  []string{"users"},
		scale:  []string{"expenses.amount_cents"},
		double: []string{"expenses.amount_cents"},
		unique: []string{"users.email"},
	},
	"cascade": {
		rename: []string{"users.name"},
		clone:  []string{"users"},
		scale:  []string{"expenses.amount_cents"},
		double: []string{"expenses.amount_cents"},
		unique: []string{"users.email"},
	},
	"bank": {
		// Owners stay: lesson 14 renames one and looks for the old name.
		// Amounts stay: lesson 6 compares deposits with $750.
		rename: []string{"students.name"},
		clone:  []string{"accounts", "students"},
		double: []string{"activity.amount_cents", "accounts.balance_cents"},
		unique: []string{"accounts.email", "students.email"},
	},
	"library": {
		rename: []string{"authors.name", "books.title"},
		clone:  []string{"authors"},
	},
	"weights": {
		// Emails and dates stay: lesson 16 orders by them.
		rename: []string{"users.name"},
		rekey:  []string{"users", "weight_entries"},
	},
}

// FreshName is the name of the fresh set made from variant (for the
// report; the checks keep calling it by the variant's name).
func FreshName(variant string) string {
	return strings.TrimSuffix(variant, "-variant") + "-fresh"
}

// CanFresh reports whether Fresh knows how to perturb the variant of
// family.
func CanFresh(family string) bool {
	_, ok := freshSpecs[family]
	return ok
}

// Fresh writes to dest a fresh set made from the variant database src of
// family, perturbed as the seed decides. The same seed gives the same rows.
func Fresh(family, src, dest string, seed uint64) (err error) {
	spec, ok := freshSpecs[family]
	if !ok {
		return fmt.Errorf("dataset: no fresh set for family %s", family)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	if err := os.WriteFile(dest, data, 0o600); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	db, err := sql.Open("sqlite3", sqlite.DSN(dest, sqlite.Options{}))
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
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
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 0xf4e54))
	f := &freshen{db: db, ctx: ctx, r: r, spec: spec}
	if err := f.run(); err != nil {
		return fmt.Errorf("dataset: fresh %s (seed %d): %w", family, seed, err)
	}
	bad, err := sqlite.ForeignKeyViolations(ctx, db, "main")
	if err != nil {
		return fmt.Errorf("dataset: fresh %s: %w", family, err)
	}
	if len(bad) > 0 {
		return fmt.Errorf("dataset: fresh %s (seed %d): %d rows break a foreign key", family, seed, len(bad))
	}
	_, err = db.Exec("VACUUM")
	return err
}

type freshen struct {
	db   *sql.DB
	ctx  context.Context
	r    *rand.Rand
	spec freshSpec
	// refs lists, by parent table, the columns that refer to its key.
	refs map[string][]ref
	key  map[string]string // a table's INTEGER PRIMARY KEY column, if it has one
}

type ref struct{ table, column string }

func (f *freshen) exec(q string, args ...any) error {
	_, err := f.db.ExecContext(f.ctx, q, args...)
	return err
}

func (f *freshen) run() error {
	if err := f.exec("PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	tables, err := sqlite.Tables(f.ctx, f.db, "main")
	if err != nil {
		return err
	}
	f.refs, f.key = map[string][]ref{}, map[string]string{}
	for _, t := range tables {
		cols, err := sqlite.Columns(f.ctx, f.db, "main", t)
		if err != nil {
			return err
		}
		var pk []sqlite.Column
		for _, c := range cols {
			if c.PK > 0 {
				pk = append(pk, c)
			}
		}
		if len(pk) == 1 && strings.EqualFold(pk[0].Type, "INTEGER") {
			f.key[t] = pk[0].Name
		}
		fks, err := sqlite.ForeignKeys(f.ctx, f.db, "main", t)
		if err != nil {
			return err
		}
		for _, fk := range fks {
			if len(fk.From) == 1 {
				f.refs[fk.Parent] = append(f.refs[fk.Parent], ref{t, fk.From[0]})
			}
		}
	}
	slices.Sort(tables)
	tx, err := f.db.BeginTx(f.ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	steps := []func(*sql.Tx) error{f.scaleAll, f.cloneAll, f.renameAll, f.rekeyAll}
	for _, t := range tables {
		if f.key[t] != "" {
			steps = append(steps, func(tx *sql.Tx) error { return f.renumber(tx, t) })
		}
	}
	for _, step := range steps {
		if err := step(tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func split(tc string) (string, string) {
	t, c, _ := strings.Cut(tc, ".")
	return t, c
}

func q(name string) string { return sqlite.QuoteIdent(name) }

// scalePrimes are the factors scaleAll draws from: primes above any count
// the lessons divide by, so that sum*k is divisible by a count just when
// sum is.
var scalePrimes = []int{101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199}

// scaleAll multiplies the amounts no lesson compares with a constant by one
// factor.
func (f *freshen) scaleAll(tx *sql.Tx) error {
	k := scalePrimes[f.r.IntN(len(scalePrimes))]
	for _, tc := range f.spec.scale {
		t, c := split(tc)
		if _, err := tx.ExecContext(f.ctx, fmt.Sprintf("UPDATE %s SET %s = %s * ?", q(t), q(c), q(c)), k); err != nil {
			return err
		}
	}
	return nil
}

// cloneAll clones one row of each clone table, with its children: the row
// with the most children, the first by id of those. The choice is never
// the seed's, since which row gains a twin decides which orders and ties
// the set holds.
func (f *freshen) cloneAll(tx *sql.Tx) error {
	for _, t := range f.spec.clone {
		id, ok, err := f.mostChildren(tx, t)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if _, err := f.cloneRow(tx, t, id, "", 0); err != nil {
			return err
		}
	}
	return nil
}

// mostChildren returns the key of the row of t that the most rows of the
// tables cloned with it refer to, the smallest key of those; ok is false
// when t is empty.
func (f *freshen) mostChildren(tx *sql.Tx, t string) (id int64, ok bool, err error) {
	key := f.key[t]
	count := "0"
	for _, rf := range f.refs[t] {
		nn, err := f.notNull(tx, rf)
		if err != nil {
			return 0, false, err
		}
		if nn && rf.table != t {
			count += fmt.Sprintf(" + (SELECT count(*) FROM %s c WHERE c.%s = p.%s)", q(rf.table), q(rf.column), q(key))
		}
	}
	var ids []int64
	stmt := fmt.Sprintf("SELECT p.%s FROM %s p ORDER BY %s DESC, p.%s LIMIT 1", q(key), q(t), count, q(key))
	if err := queryInts(f.ctx, tx, &ids, stmt); err != nil {
		return 0, false, err
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// notNull reports whether the column of rf is declared NOT NULL: whether
// its rows cannot exist without the row they refer to.
func (f *freshen) notNull(tx *sql.Tx, rf ref) (bool, error) {
	cols, err := sqlite.Columns(f.ctx, tx, "main", rf.table)
	if err != nil {
		return false, err
	}
	for _, c := range cols {
		if c.Name == rf.column {
			return c.NotNull, nil
		}
	}
	return false, nil
}

// cloneRow copies the row of table t keyed id under a new id (the largest
// plus one), with column fkCol set to parent when not "", then its
// children. It returns the new id.
func (f *freshen) cloneRow(tx *sql.Tx, t string, id int64, fkCol string, parent int64) (int64, error) {
	cols, err := sqlite.Columns(f.ctx, tx, "main", t)
	if err != nil {
		return 0, err
	}
	key := f.key[t]
	var newID int64
	if key != "" {
		var ids []int64
		if err := queryInts(f.ctx, tx, &ids, fmt.Sprintf("SELECT coalesce(max(%s), 0) + 1 FROM %s", q(key), q(t))); err != nil {
			return 0, err
		}
		newID = ids[0]
	}
	var names, exprs []string
	var args []any
	for _, c := range cols {
		names = append(names, q(c.Name))
		switch tc := t + "." + c.Name; {
		case c.Name == key:
			exprs, args = append(exprs, "?"), append(args, newID)
		case c.Name == fkCol:
			exprs, args = append(exprs, "?"), append(args, parent)
		case slices.Contains(f.spec.unique, tc):
			exprs = append(exprs, "'twin.' || "+q(c.Name))
		case slices.Contains(f.spec.double, tc):
			exprs = append(exprs, q(c.Name)+" * 2")
		default:
			exprs = append(exprs, q(c.Name))
		}
	}
	where, wargs := q(key)+" = ?", []any{id}
	if key == "" {
		where = "rowid = ?"
	}
	stmt := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s", q(t), strings.Join(names, ", "), strings.Join(exprs, ", "), q(t), where)
	if _, err := tx.ExecContext(f.ctx, stmt, append(args, wargs...)...); err != nil {
		return 0, err
	}
	if key == "" {
		return 0, nil
	}
	// The children that cannot exist without this row come along.
	for _, rf := range f.refs[t] {
		notNull, err := f.notNull(tx, rf)
		if err != nil {
			return 0, err
		}
		if !notNull || rf.table == t {
			continue
		}
		cc, err := sqlite.Columns(f.ctx, tx, "main", rf.table)
		if err != nil {
			return 0, err
		}
		child := f.key[rf.table]
		sel := "rowid"
		if child != "" {
			sel = q(child)
		}
		var kids []int64
		if err := queryInts(f.ctx, tx, &kids, fmt.Sprintf("SELECT %s FROM %s WHERE %s = ? ORDER BY %s", sel, q(rf.table), q(rf.column), sel), id); err != nil {
			return 0, err
		}
		for _, k := range kids {
			if child == "" {
				if _, err := tx.ExecContext(f.ctx, f.copyLinkRow(cc, rf), newID, k); err != nil {
					return 0, err
				}
				continue
			}
			if _, err := f.cloneRow(tx, rf.table, k, rf.column, newID); err != nil {
				return 0, err
			}
		}
	}
	return newID, nil
}

// copyLinkRow returns the statement that copies a row of a table without
// an id of its own (a link table), with the column of rf set to the first
// argument, the row chosen by rowid with the second.
func (f *freshen) copyLinkRow(cols []sqlite.Column, rf ref) string {
	var names, exprs []string
	for _, c := range cols {
		names = append(names, q(c.Name))
		if c.Name == rf.column {
			exprs = append(exprs, "?1")
		} else {
			exprs = append(exprs, q(c.Name))
		}
	}
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s WHERE rowid = ?2", q(rf.table), strings.Join(names, ", "), strings.Join(exprs, ", "), q(rf.table))
}

// renameAll puts one word, drawn by the seed, before every name in the
// rename columns, in one statement each, so that no renamed value is
// renamed again. Distinct names stay distinct, and every comparison
// between two of them is decided where it was.
func (f *freshen) renameAll(tx *sql.Tx) error {
	word := firstNames[f.r.IntN(len(firstNames))] + " "
	for _, tc := range f.spec.rename {
		t, c := split(tc)
		stmt := fmt.Sprintf("UPDATE %s SET %s = ? || %s WHERE %s IS NOT NULL", q(t), q(c), q(c), q(c))
		if _, err := tx.ExecContext(f.ctx, stmt, word); err != nil {
			return err
		}
	}
	return nil
}

// renumber gives the rows of t new ids in the same order, with random gaps,
// and makes every column that refers to them follow.
func (f *freshen) renumber(tx *sql.Tx, t string) error {
	key := f.key[t]
	var ids []int64
	if err := queryInts(f.ctx, tx, &ids, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", q(key), q(t), q(key))); err != nil {
		return err
	}
	next := int64(1 + f.r.IntN(20))
	if _, err := tx.ExecContext(f.ctx, "CREATE TEMP TABLE IF NOT EXISTS fresh_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(f.ctx, "DELETE FROM fresh_ids"); err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := tx.ExecContext(f.ctx, "INSERT INTO fresh_ids (old, new) VALUES (?, ?)", id, next); err != nil {
			return err
		}
		if i == len(ids)-2 {
			// The last id follows the one before it: SQLite gives a new row
			// the largest id plus one, so once the last row is deleted the
			// next row inserted takes its id, as in the variant (lesson 11).
			next++
			continue
		}
		next += int64(1 + f.r.IntN(4))
	}
	// Through negative ids, so that no new id meets an old one.
	if _, err := tx.ExecContext(f.ctx, fmt.Sprintf("UPDATE %s SET %s = -(SELECT new FROM fresh_ids WHERE old = %s)", q(t), q(key), q(key))); err != nil {
		return err
	}
	if _, err := tx.ExecContext(f.ctx, fmt.Sprintf("UPDATE %s SET %s = -%s", q(t), q(key), q(key))); err != nil {
		return err
	}
	for _, rf := range f.refs[t] {
		// Negative first here too: a link table's key holds this column.
		stmt := fmt.Sprintf("UPDATE %s SET %s = -(SELECT new FROM fresh_ids WHERE old = %s) WHERE %s IS NOT NULL", q(rf.table), q(rf.column), q(rf.column), q(rf.column))
		if _, err := tx.ExecContext(f.ctx, stmt); err != nil {
			return err
		}
		stmt = fmt.Sprintf("UPDATE %s SET %s = -%s WHERE %s IS NOT NULL", q(rf.table), q(rf.column), q(rf.column), q(rf.column))
		if _, err := tx.ExecContext(f.ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryInts(ctx context.Context, db queryer, out *[]int64, query string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return err
		}
		*out = append(*out, n)
	}
	return rows.Err()
}
