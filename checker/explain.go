package checker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// Explain turns an error from SQLite, database/sql or sqlx into sentences a
// learner understands, or returns "" for an error it does not know (or nil).
// It tells apart the constraints (a foreign key refused as RESTRICT reports
// another extended code than one refused as NO ACTION) and the common
// mistakes of SQL and of mapping columns to struct fields. For a
// *[RefusedError] from [C.Perform], it also names the rows that still point
// at the rows a refused DELETE would have removed.
func Explain(err error) string { return explain(err, "") }

// replaces matches a statement that replaces conflicting rows: REPLACE, or
// INSERT OR REPLACE (UPDATE OR REPLACE too).
var replaces = regexp.MustCompile(`(?i)^\s*(REPLACE\b|(INSERT|UPDATE)\s+OR\s+REPLACE\b)`)

// explain is Explain knowing the statement that failed, when there is one.
func explain(err error, statement string) string {
	if err == nil {
		return ""
	}
	if r, ok := refusedIn(err); ok {
		return r.explain()
	}
	if why := explainGo(err); why != "" {
		return why
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return ""
	}
	msg := se.Error()
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintForeignKey:
		const head = "SQLite refused the change: FOREIGN KEY constraint failed (SQLITE_CONSTRAINT_FOREIGNKEY).\n"
		switch strings.ToUpper(firstWord(statement)) {
		case "INSERT", "UPDATE", "REPLACE":
			if replaces.MatchString(statement) {
				return head + "The statement REPLACEs: where the new row meets a row with the same unique value, SQLite\n" +
					"deletes that row first and inserts the new one. Rows that point at the row it deleted\n" +
					"(its children) would be left pointing at nothing, so the foreign key refused it; without\n" +
					"children, the old row would have been replaced, silently. To be told about the existing row\n" +
					"instead, use a plain INSERT, which the UNIQUE constraint refuses."
			}
			return head + "The row names a parent (its foreign key column) that does not exist."
		case "DELETE":
			return head + "Rows still point at the row being deleted, and their foreign key says NO ACTION (the\n" +
				"default): the parent may not go while children refer to it."
		}
		return head + "Either a row names a parent that does not exist, or a parent that rows still point at\n" +
			"was deleted or changed under a foreign key that says NO ACTION (the default)."
	case sqlite3.ErrConstraintTrigger:
		if strings.Contains(msg, "FOREIGN KEY") {
			return "SQLite refused the change: the foreign key says ON DELETE RESTRICT (or ON UPDATE RESTRICT),\n" +
				"and rows still point at this one (SQLITE_CONSTRAINT_TRIGGER). RESTRICT refuses at once,\n" +
				"even inside a transaction; delete or move the children first, or choose another action."
		}
		return "SQLite refused the change: a trigger raised an error (" + msg + ")."
	case sqlite3.ErrConstraintUnique:
		return "SQLite refused the change: " + msg + ".\nA row with the same value already exists, and the column must be unique."
	case sqlite3.ErrConstraintPrimaryKey:
		return "SQLite refused the change: " + msg + ".\nA row with the same primary key already exists."
	case sqlite3.ErrConstraintNotNull:
		if strings.EqualFold(firstWord(statement), "DELETE") {
			return "SQLite refused the change: " + msg + ".\nThe DELETE made a foreign key that says ON DELETE SET NULL clear that column, but\n" +
				"the column is NOT NULL. A link that may be cleared must allow NULL; a link that must\n" +
				"always hold a value needs another action (CASCADE, or RESTRICT to refuse)."
		}
		return "SQLite refused the change: " + msg + ".\nThat column needs a value; the statement gave it none (NULL)."
	case sqlite3.ErrConstraintCheck:
		return "SQLite refused the change: " + msg + ".\nThe value breaks a CHECK in the table's definition."
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return "The database is locked: another connection holds a write transaction. Commit or roll back\n" +
			"every transaction you begin, and close (or read to the end) every set of rows before you write."
	case sqlite3.ErrReadonly:
		return "The database is read-only here."
	case sqlite3.ErrRange:
		return "A placeholder number is out of range: the statement has fewer ? than the arguments you passed."
	case sqlite3.ErrError:
		switch {
		case strings.Contains(msg, "no such column"):
			return "SQLite could not prepare the statement: " + msg + ".\nCheck the column name and which table (or alias) it belongs to."
		case strings.Contains(msg, "no such table"):
			return "SQLite could not prepare the statement: " + msg + ".\nCheck the table's name."
		case strings.Contains(msg, "ambiguous column"):
			return "SQLite could not prepare the statement: " + msg + ".\nTwo joined tables have a column of that name: write it as table.column (or alias.column)."
		case strings.Contains(msg, "syntax error"):
			return "SQLite could not parse the statement: " + msg + "."
		}
		return "SQLite could not run the statement: " + msg + "."
	}
	return ""
}

var (
	missingDest = regexp.MustCompile(`missing destination name (\S+) in \*?(?:\[\])?\*?(?:\w+\.)?(\w+)`)
	scanError   = regexp.MustCompile(`Scan error on column index \d+, name "([^"]+)": (.*)`)
)

// explainGo explains the errors of database/sql and sqlx.
func explainGo(err error) string {
	msg := err.Error()
	if errors.Is(err, sql.ErrNoRows) {
		return "The error is sql.ErrNoRows, \"no row\": Get and QueryRow.Scan return it when the query finds no\n" +
			"row, and Select never does (it gives an empty list). A list that may be empty is no error:\n" +
			"return it empty, with a nil error. A single row that may be missing is errors.Is(err, sql.ErrNoRows)."
	}
	if m := missingDest.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Your query returns a column named %s, but %s has no field tagged `db:\"%s\"`.\n"+
			"sqlx fills each field from the column its db tag names: rename the column in the SELECT\n"+
			"(… AS the_tag_name) or leave it out.", m[1], m[2], m[1])
	}
	if m := scanError.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("The value of column %s does not fit the field it goes into: %s.\n"+
			"Check the column's type against the field's, and NULLs (a NULL needs a pointer or sql.Null* field).", m[1], m[2])
	}
	return ""
}

func firstWord(s string) string {
	f := strings.Fields(strings.TrimLeft(s, " \t\n("))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// SQLiteError returns what SQLite itself said when it refused a statement
// of the learner's code, such as "CHECK constraint failed: activity_type IN
// ('DEP', 'WD')", for a check's message about an error the learner's code
// wrapped in words of its own: the *sqlite3.Error that err wraps, or, when
// err does not unwrap to one (the learner's error type dropped it), the
// error of the last statement the learner's code ran, if that one failed.
// It returns "" when neither is there.
func (c *C) SQLiteError(err error) string {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Error()
	}
	entries := c.log.Entries()
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Kind == stmtlog.KindStatement {
			return entries[i].Err
		}
	}
	return ""
}

// FromSQLite reports whether err holds, along its Unwrap chain, an error
// SQLite returned to a statement the learner's code sent: a sqlite3.Error
// whose text is that statement's error. A sqlite3.Error made by hand
// (sqlite3.Error{Code: …}) has only its code's generic text ("constraint
// failed"), and an error rewrapped with %v or replaced holds none, so
// neither passes for the database's own.
func (c *C) FromSQLite(err error) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	for _, e := range c.log.Statements() {
		if e.Err != "" && e.Err == se.Error() {
			return true
		}
	}
	return false
}

var uniqueFailed = regexp.MustCompile(`^UNIQUE constraint failed: (.+)$`)

// collationNote explains a UNIQUE constraint that failed because its index
// compares with a collation other than BINARY (a column declared COLLATE
// NOCASE, say): to it, values that differ only in capitals, or in trailing
// spaces, are one value, though = and the rest of the data tell them
// apart. It returns "" for any other error.
func (c *C) collationNote(err error) string {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintUnique {
		return ""
	}
	m := uniqueFailed.FindStringSubmatch(se.Error())
	if m == nil {
		return ""
	}
	var table string
	var cols []string
	for _, tc := range strings.Split(m[1], ", ") {
		t, col, ok := strings.Cut(tc, ".")
		if !ok || table != "" && t != table {
			return ""
		}
		table, cols = t, append(cols, col)
	}
	for _, ix := range c.indexesOf(table) {
		if !ix.Unique || !slices.Equal(ix.Columns, cols) {
			continue
		}
		for i, coll := range ix.Collations {
			if strings.EqualFold(coll, "BINARY") {
				continue
			}
			what := "differ only in capitals"
			if strings.EqualFold(coll, "RTRIM") {
				what = "differ only in trailing spaces"
			}
			return fmt.Sprintf("Here the two values are the same only under COLLATE %s, which the UNIQUE on %s.%s\n"+
				"compares with: to it, values that %s are one, though = tells them apart.\n"+
				"They are different values: drop the COLLATE %s from the column (or from its UNIQUE).",
				strings.ToUpper(coll), table, cols[i], what, strings.ToUpper(coll))
		}
	}
	return ""
}

// indexesOf returns the indexes of table as the learner's code declared it:
// from the database, or, when the table is not there (its transaction was
// rolled back), from the CREATE statements the learner's code ran, run
// again on an empty database in memory.
func (c *C) indexesOf(table string) []sqlite.Index {
	ctx := context.Background()
	if ix, err := sqlite.Indexes(ctx, c.ownDB(), "main", table); err == nil && len(ix) > 0 {
		return ix
	}
	mem := openOwn(":memory:")
	defer mem.Close()
	mem.SetMaxOpenConns(1)
	for _, e := range c.log.Statements() {
		if strings.EqualFold(firstWord(e.SQL), "CREATE") {
			mem.ExecContext(ctx, e.SQL) // one that fails declared nothing
		}
	}
	ix, _ := sqlite.Indexes(ctx, mem, "main", table)
	return ix
}

// KeepsDatabaseError calls f, the learner's call (written as call in
// messages), and returns its error. When one of the statements f sent was
// refused by SQLite and f returned an error that does not carry SQLite's
// along its Unwrap chain (an error of the code's own, or one wrapped with
// %v), the check fails: the caller can no longer tell a foreign key from a
// full disk, nor find the sqlite3.Error with errors.As. An error of the
// code's own is fine when none of its statements failed (it looked first,
// and found nothing to do).
func (c *C) KeepsDatabaseError(call string, f func() error) error {
	sent := c.log.Count()
	err := f()
	if err == nil || c.FromSQLite(err) {
		return err
	}
	var refused *stmtlog.Entry
	n := 0
	for _, e := range c.log.Statements() {
		if n++; n > sent && e.Err != "" {
			refused = &e
		}
	}
	if refused == nil {
		return err
	}
	c.fail(protocol.KindResult, fmt.Sprintf("%s returned an error of its own in place of SQLite's:\n"+
		"    %s\n"+
		"  SQLite refused statement %d with: %s\n"+
		"  The caller can no longer tell why it failed, and errors.As finds no sqlite3.Error in it.\n"+
		"  Return the error as it is, or add words with fmt.Errorf(\"…: %%w\", err): %%v and errors.New\n"+
		"  keep none of it.", call, clip(err.Error(), 200), refused.Seq, refused.Err))
	return err
}
