package checker

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mattn/go-sqlite3"

	"workbook/internal/sqlite"
)

// Perform runs a statement of the check's own as the application would:
// with foreign keys on, and not counted. Unlike [C.Exec], it does not stop
// the check when SQLite refuses the statement: it returns a *[RefusedError],
// for checks about what the learner's schema allows. A DELETE the schema
// should carry through to other tables, or should refuse:
//
//	before := c.Snapshot()
//	err := c.Perform(`DELETE FROM categories WHERE name = 'Food'`)
//	if err == nil {
//		c.Errorf("Deleting Food went through; it should be refused. It %s", c.ChangesSince(before))
//	}
//
// [Explain] words a *RefusedError, naming for a refused DELETE the rows that
// still point at the rows it would have removed. The messages of later
// assertions ([C.ExpectChanges]) name the statement.
func (c *C) Perform(query string, args ...any) error {
	call := strings.Join(strings.Fields(query), " ")
	if len(args) > 0 {
		call += fmt.Sprintf(" %v", args)
	}
	c.setCall(call)
	_, err := c.ownDB().Exec(query, args...)
	if err == nil {
		return nil
	}
	refused := &RefusedError{Statement: query, Err: err}
	if isForeignKeyRefusal(err) {
		refused.Referrers = c.referrers(query, args)
	}
	return refused
}

// PerformUndone runs statements of the check's own, as [C.Perform] does,
// inside one transaction that is always rolled back: for checks about what
// the learner's schema lets a transaction do before it commits, such as a
// foreign key declared DEFERRABLE INITIALLY DEFERRED, which refuses an
// orphan only at COMMIT. It returns the first statement's refusal, or nil
// when SQLite let every statement through; the database is left as it was.
func (c *C) PerformUndone(queries ...string) error {
	tx, err := c.ownDB().Beginx()
	if err != nil {
		c.ownFailure("BEGIN", err)
	}
	defer tx.Rollback()
	for _, q := range queries {
		c.setCall(strings.Join(strings.Fields(q), " "))
		if _, err := tx.Exec(q); err != nil {
			return &RefusedError{Statement: q, Err: err}
		}
	}
	return nil
}

// RefusedError is the error [C.Perform] returns when SQLite refuses a
// statement.
type RefusedError struct {
	// Statement is the SQL that was refused.
	Statement string
	// Err is SQLite's error.
	Err error
	// Referrers lists, for a DELETE refused by a foreign key, the foreign
	// keys that refused it and the rows behind them. It is empty for other
	// refusals, and when the statement is not a plain DELETE FROM t WHERE ….
	Referrers []Referrer
}

func (e *RefusedError) Error() string { return e.Err.Error() }
func (e *RefusedError) Unwrap() error { return e.Err }

// Referrer is a foreign key whose rows point at rows a DELETE would remove,
// and that says to refuse.
type Referrer struct {
	// Table and Column are the referring table and its foreign key
	// column(s): "expenses", "user_id".
	Table, Column string
	// OnDelete is the foreign key's action as SQLite reports it:
	// "NO ACTION" (the default) or "RESTRICT".
	OnDelete string
	// OnUpdate is the key's ON UPDATE action, which acts when the parent's
	// key changes and never on a delete: "NO ACTION" unless the schema
	// gave one.
	OnUpdate string
	// Keys identify the referring rows by primary key (or rowid): "6".
	Keys []string
}

// String describes the referrer in a line: "expenses.user_id (ON DELETE NO
// ACTION): 3 rows, id 1, 2, 3".
func (r Referrer) String() string {
	shown := r.Keys
	more := ""
	if len(shown) > maxRowsShown {
		shown, more = shown[:maxRowsShown], ", …"
	}
	rule := "ON DELETE " + r.OnDelete
	if r.OnUpdate != "" && r.OnUpdate != "NO ACTION" {
		// ON UPDATE CASCADE written for ON DELETE CASCADE: say so.
		rule += fmt.Sprintf("; its ON UPDATE %s acts when the parent's key changes, never on a delete", r.OnUpdate)
	}
	return fmt.Sprintf("%s.%s (%s): %s, %s %s%s", r.Table, r.Column, rule,
		rowsWord(len(r.Keys)), keyWord(r.Keys), strings.Join(shown, ", "), more)
}

func keyWord(keys []string) string {
	if len(keys) > 0 && strings.HasPrefix(keys[0], "(") {
		return "keys"
	}
	return "id"
}

// explain words e: SQLite's reason, fitted to the statement, and the rows
// that refused a DELETE.
func (e *RefusedError) explain() string {
	why := explain(e.Err, e.Statement)
	if len(e.Referrers) == 0 {
		return why
	}
	var b strings.Builder
	if why != "" {
		b.WriteString(why + "\n")
	}
	b.WriteString("Rows that still point at the rows it would delete:")
	for _, r := range e.Referrers {
		b.WriteString("\n  " + r.String())
	}
	return b.String()
}

// isForeignKeyRefusal reports whether SQLite refused for a foreign key: as NO
// ACTION (SQLITE_CONSTRAINT_FOREIGNKEY) or as RESTRICT, which SQLite reports
// as SQLITE_CONSTRAINT_TRIGGER.
func isForeignKeyRefusal(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) &&
		(se.ExtendedCode == sqlite3.ErrConstraintForeignKey || se.ExtendedCode == sqlite3.ErrConstraintTrigger)
}

var plainDelete = regexp.MustCompile(`(?is)^\s*DELETE\s+FROM\s+("[^"]+"|[\w]+)(?:\s+WHERE\s+(.+?))?\s*;?\s*$`)

// referrers finds the foreign keys that say NO ACTION or RESTRICT and have
// rows pointing at the rows the DELETE query would remove. It looks one
// level deep: rows a cascade would delete, and what points at them, are
// not followed.
func (c *C) referrers(query string, args []any) []Referrer {
	m := plainDelete.FindStringSubmatch(query)
	if m == nil {
		return nil
	}
	parent := strings.Trim(m[1], `"`)
	where := m[2]
	if where == "" {
		where = "1"
	}
	ctx := context.Background()
	db := c.ownDB()
	children, err := sqlite.Tables(ctx, db, "main")
	if err != nil {
		return nil
	}
	sort.Strings(children)
	var out []Referrer
	// A table whose keys cannot be read refers to nothing here: the
	// referrers only add to the message of a refused DELETE.
	for _, child := range children {
		fks, _ := sqlite.ForeignKeys(ctx, db, "main", child)
		for _, fk := range fks {
			if !strings.EqualFold(fk.Parent, parent) || (fk.OnDelete != "NO ACTION" && fk.OnDelete != "RESTRICT") {
				continue
			}
			to := fk.To
			if len(to) == 0 {
				to, _ = sqlite.PrimaryKey(ctx, db, "main", fk.Parent)
			}
			if len(to) != len(fk.From) {
				continue
			}
			keyExpr := `rowid`
			if pk, _ := sqlite.PrimaryKey(ctx, db, "main", child); len(pk) > 0 {
				keyExpr = quoteList(pk)
			}
			var keys []string
			q := fmt.Sprintf(`SELECT json_array(%s) FROM %q WHERE (%s) IN (SELECT %s FROM %q WHERE %s) ORDER BY %s`,
				keyExpr, child, quoteList(fk.From), quoteList(to), fk.Parent, where, keyExpr)
			if err := db.Select(&keys, q, args...); err != nil || len(keys) == 0 {
				continue
			}
			for i, k := range keys {
				keys[i] = showKey(k)
			}
			out = append(out, Referrer{Table: child, Column: strings.Join(fk.From, ", "), OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate, Keys: keys})
		}
	}
	return out
}

// showKey turns a key as json_array gives it, "[6]" or "[1,3]", into "6" or
// "(1, 3)".
func showKey(k string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(k, "["), "]")
	if !strings.Contains(inner, ",") {
		return inner
	}
	return "(" + strings.ReplaceAll(inner, ",", ", ") + ")"
}

// ChangesSince describes every change to the tables since before, table by
// table: the rows removed, added and changed, and the tables created or
// dropped. It is for the check's own messages, saying what a statement
// touched ("removed 1 row from users and 3 from expenses"):
//
//	"it changed the tables:\n" + c.ChangesSince(before)
//
// It returns "nothing changed" when the tables are as they were.
func (c *C) ChangesSince(before *Snapshot) string {
	now, err := loadTables(c.ownDB())
	if err != nil {
		c.ownFailure("reading the tables", err)
	}
	if out := tableChanges(before.tables, now); len(out) > 0 {
		return strings.Join(out, "\n")
	}
	return "nothing changed"
}

// tableChanges lists the changes from the tables was to the tables is, a
// line each: the tables created and dropped, and, table by table, the rows
// removed, added and changed, each row shown under its table's line.
func tableChanges(was, is map[string]*table) []string {
	var out []string
	for _, name := range tableNames(was, is) {
		w, i := was[name], is[name]
		switch {
		case w == nil:
			out = append(out, fmt.Sprintf("table %s was created, with %s", name, rowsWord(len(i.keys))))
			continue
		case i == nil:
			out = append(out, fmt.Sprintf("table %s was dropped", name))
			continue
		}
		removed, added, updated := diffRows(w, i)
		if len(removed) > 0 {
			out = append(out, fmt.Sprintf("%s: %s removed:", name, rowsWord(len(removed))))
			out = append(out, showRows(w, removed)...)
		}
		if len(added) > 0 {
			out = append(out, fmt.Sprintf("%s: %s added:", name, rowsWord(len(added))))
			out = append(out, showRows(i, added)...)
		}
		if len(updated) > 0 {
			out = append(out, fmt.Sprintf("%s: %s changed:", name, rowsWord(len(updated))))
			out = append(out, showChanges(w, i, updated)...)
		}
	}
	return out
}

// refusedIn returns the *RefusedError in err's chain, if there is one.
func refusedIn(err error) (*RefusedError, bool) {
	var r *RefusedError
	ok := errors.As(err, &r)
	return r, ok
}
