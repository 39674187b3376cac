package checker

import (
	"regexp"
	"strings"

	"workbook/checker/stmtlog"
)

var (
	orIgnore  = regexp.MustCompile(`(?i)^\s*(?:INSERT|UPDATE)\s+OR\s+IGNORE\b`)
	doNothing = regexp.MustCompile(`(?i)\bON\s+CONFLICT\b[^;]*\bDO\s+NOTHING\b`)
)

// SkippedWrite explains the last write of the learner's code that SQLite
// accepted without an error yet that changed no row because of a clause
// that skips rows: INSERT OR IGNORE (or UPDATE OR IGNORE), or an upsert's
// ON CONFLICT DO NOTHING. It returns "" when the last write has no such
// clause, changed a row, or failed.
//
// A check uses it when the learner's code took "no row changed" for "the
// row was already there": OR IGNORE skips a row that breaks a CHECK or a
// NOT NULL constraint as silently as a duplicate, so RowsAffected 0 does
// not prove a duplicate; DO NOTHING skips only a uniqueness conflict.
// Neither skips a row a FOREIGN KEY refuses: that still comes back as an
// error.
func (c *C) SkippedWrite() string {
	e, ok := lastWrite(c.log.Entries())
	if !ok || e.Err != "" || e.Rows != 0 {
		return ""
	}
	q := strings.TrimSpace(e.SQL)
	switch {
	case orIgnore.MatchString(q):
		return "Your " + strings.ToUpper(firstWord(q)) + " OR IGNORE changed no row, and SQLite reported no error:\n" +
			"    " + stmtlog.Shape(q) + "\n" +
			"OR IGNORE skips, without a word, a row that breaks any UNIQUE, PRIMARY KEY, NOT NULL or\n" +
			"CHECK constraint, so RowsAffected 0 does not prove the row was a duplicate. (It does not\n" +
			"apply to FOREIGN KEY constraints, which still refuse with an error.) Tell a duplicate apart\n" +
			"by the constraint that refused it: insert without OR IGNORE and test the error for\n" +
			"sqlite3.ErrConstraintPrimaryKey (or ErrConstraintUnique)."
	case doNothing.MatchString(q):
		return "Your INSERT … ON CONFLICT DO NOTHING changed no row, and SQLite reported no error:\n" +
			"    " + stmtlog.Shape(q) + "\n" +
			"DO NOTHING skips a row only when it clashes with the ON CONFLICT target's UNIQUE or PRIMARY KEY; a\n" +
			"row that breaks a NOT NULL, CHECK or FOREIGN KEY constraint is still refused with an error."
	}
	return ""
}

// lastWrite returns the last statement in entries that is not a query.
func lastWrite(entries []stmtlog.Entry) (stmtlog.Entry, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; e.Kind == stmtlog.KindStatement && !e.Query {
			return e, true
		}
	}
	return stmtlog.Entry{}, false
}
