package checker

import (
	"errors"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// Explain turns an error from SQLite into a sentence a learner understands,
// or returns "" for an error that is not SQLite's. It tells apart the
// constraints (a foreign key refused as RESTRICT reports another extended
// code than one refused as NO ACTION) and the common SQL mistakes.
func Explain(err error) string {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		var sep *sqlite3.Error
		if !errors.As(err, &sep) || sep == nil {
			return ""
		}
		se = *sep
	}
	msg := se.Error()
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintForeignKey:
		return "SQLite refused the change: FOREIGN KEY constraint failed (SQLITE_CONSTRAINT_FOREIGNKEY).\n" +
			"Either the row points at a parent that does not exist, or it is a parent that rows still\n" +
			"point at and the foreign key says NO ACTION, the default: the delete or update may not leave them behind."
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
