package checker

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mattn/go-sqlite3"

	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// schemaShape is the tables of a database and their columns, in order: what
// a check's own statements may rely on.
type schemaShape map[string][]sqlite.Column

// readShape reads the tables and columns of the database q reaches.
func readShape(q sqlite.Querier) (schemaShape, error) {
	ctx := context.Background()
	tables, err := sqlite.Tables(ctx, q, "main")
	if err != nil {
		return nil, err
	}
	s := schemaShape{}
	for _, t := range tables {
		cols, err := sqlite.Columns(ctx, q, "main", t)
		if err != nil {
			return nil, err
		}
		s[strings.ToLower(t)] = cols
	}
	return s, nil
}

// startingShape returns the schema a run of c starts from: its copy's, or
// for a check that starts empty, the data set's (the tables the learner's
// code is to create). It is nil when it cannot be read, and then every
// failing statement of the check's own counts as the lesson's fault.
func startingShape(c *C) schemaShape {
	if c.rows != "" {
		db := openOwn(sqlite.DSN(c.rows, sqlite.Options{ReadOnly: true}))
		defer db.Close()
		s, _ := readShape(db)
		return s
	}
	s, _ := readShape(c.ownDB())
	return s
}

// follow takes into expected what a statement of the check's own changed in
// the schema, from pre to post: tables it dropped or created, and columns
// it changed. What the learner's code changes is never taken in.
func (expected schemaShape) follow(pre, post schemaShape) {
	for t := range pre {
		if _, ok := post[t]; !ok {
			delete(expected, t)
		}
	}
	for t, cols := range post {
		if was, ok := pre[t]; !ok || !sameColumns(was, cols) {
			expected[t] = cols
		}
	}
}

func sameColumns(a, b []sqlite.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i].Name, b[i].Name) || !strings.EqualFold(a[i].Type, b[i].Type) {
			return false
		}
	}
	return true
}

// sameNames reports whether a and b name the same columns in the same
// order, whatever their types (CREATE TABLE … AS SELECT keeps the names and
// not the declared types).
func sameNames(a, b []sqlite.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i].Name, b[i].Name) {
			return false
		}
	}
	return true
}

// schemaChange is one way the schema differs from what the check expects.
type schemaChange struct {
	table  string // the table as expected
	column string // "" for the whole table
	text   string // "dropped the table activity_log"
}

// schemaChanges returns how now differs from expected: tables dropped or
// renamed, columns dropped, renamed or of another type. A table is taken
// as renamed when a table that was not expected has its columns' names; a
// column, when a column that was not expected stands in its place with its
// type.
func schemaChanges(expected, now schemaShape) []schemaChange {
	var out []schemaChange
	var gone []string
	for t := range expected {
		gone = append(gone, t)
	}
	sort.Strings(gone)
	for _, t := range gone {
		want := expected[t]
		have, ok := now[t]
		if !ok {
			text := "dropped the table " + t
			for u, cols := range now {
				if _, known := expected[u]; !known && sameNames(want, cols) {
					text = fmt.Sprintf("took away the table %s (a table %s has its columns: renamed, or rebuilt under another name)", t, u)
				}
			}
			out = append(out, schemaChange{table: t, text: text})
			continue
		}
		for i, col := range want {
			j := columnIndex(have, col.Name)
			switch {
			case j < 0 && i < len(have) && columnIndex(want, have[i].Name) < 0 && strings.EqualFold(have[i].Type, col.Type):
				out = append(out, schemaChange{table: t, column: col.Name,
					text: fmt.Sprintf("renamed the column %s of %s to %s", col.Name, t, have[i].Name)})
			case j < 0:
				out = append(out, schemaChange{table: t, column: col.Name,
					text: fmt.Sprintf("dropped the column %s of %s", col.Name, t)})
			case !strings.EqualFold(have[j].Type, col.Type):
				out = append(out, schemaChange{table: t, column: col.Name,
					text: fmt.Sprintf("changed the type of the column %s of %s from %s to %s", col.Name, t, showType(col.Type), showType(have[j].Type))})
			}
		}
	}
	return out
}

func columnIndex(cols []sqlite.Column, name string) int {
	for i, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

func showType(t string) string {
	if t == "" {
		return "no type"
	}
	return t
}

// mentions reports whether the statement or the error names word, as a
// whole word, in any case.
func mentions(text, word string) bool {
	re, err := regexp.Compile(`(?i)\b` + regexp.QuoteMeta(word) + `\b`)
	return err == nil && re.MatchString(text)
}

// ownFailure stops the check for err, returned by a statement of the
// check's own (what describes it: the statement, or "reading the tables").
// It is the lesson's fault (broken) unless what the learner's code did
// explains it: the database left locked, or a table or column the
// statement needs dropped, renamed, or of another type than the check left
// it. Those are the learner's failure, said in words.
func (c *C) ownFailure(what string, err error) {
	if kind, msg := c.blame(what, err); kind != protocol.KindBroken {
		c.stop1(kind, msg)
	}
	c.stop1(protocol.KindBroken, fmt.Sprintf("checker: %s: %v", what, err))
}

// blame decides whose fault err is; see [C.ownFailure].
func (c *C) blame(what string, err error) (protocol.Kind, string) {
	who := c.callName()
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return protocol.KindState, fmt.Sprintf("After %s, the check could not use the database: it is locked (%v).\n"+
			"  Your code left a transaction open (Begin without Commit or Rollback), or rows not closed.\n"+
			"  End every transaction, and close every Rows, before returning.", who, err)
	}
	if c.expected == nil {
		return protocol.KindBroken, ""
	}
	now, rerr := readShape(c.ownDB())
	if rerr != nil {
		return protocol.KindBroken, ""
	}
	var said []string
	text := what + "\n" + err.Error()
	for _, ch := range schemaChanges(c.expected, now) {
		if mentions(text, ch.table) && (ch.column == "" || mentions(text, ch.column)) {
			said = append(said, ch.text)
		}
	}
	if len(said) == 0 {
		return protocol.KindBroken, ""
	}
	return protocol.KindState, fmt.Sprintf("%s %s, which the check reads; the lesson keeps it as it was.\n"+
		"  Leave the tables the lesson gives you as they are, unless the task says to change them.\n"+
		"  (The check's own statement failed: %v.)", who, strings.Join(said, ", and "), err)
}
