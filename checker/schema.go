package checker

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/sqlite"
)

// schemaObjects are the tables, indexes, views and triggers of a database's
// main schema, by type and name, each with the statement that made it.
type schemaObjects map[objectKey]string

type objectKey struct{ typ, name string }

// readObjects reads the objects of the database q reaches.
func readObjects(q sqlite.Querier) (schemaObjects, error) {
	objs, err := sqlite.Objects(context.Background(), q, "main")
	if err != nil {
		return nil, err
	}
	out := schemaObjects{}
	for _, o := range objs {
		out[objectKey{o.Type, strings.ToLower(o.Name)}] = o.SQL
	}
	return out, nil
}

// follow takes into expected what a statement of the check's own changed,
// from pre to post, as [schemaShape.follow] does for tables.
func (expected schemaObjects) follow(pre, post schemaObjects) {
	for k := range pre {
		if _, ok := post[k]; !ok {
			delete(expected, k)
		}
	}
	for k, sql := range post {
		if was, ok := pre[k]; !ok || was != sql {
			expected[k] = sql
		}
	}
}

// objectChange is one way a schema differs from the expected one.
type objectChange struct {
	key  objectKey
	verb string // "created", "dropped", "changed"
	sql  string // the object's statement now, or as it was when dropped
}

// objectChanges returns how now differs from expected, sorted by type and
// name.
func objectChanges(expected, now schemaObjects) []objectChange {
	var out []objectChange
	for k, sql := range now {
		switch was, ok := expected[k]; {
		case !ok:
			out = append(out, objectChange{k, "created", sql})
		case was != sql:
			out = append(out, objectChange{k, "changed", sql})
		}
	}
	for k, sql := range expected {
		if _, ok := now[k]; !ok {
			out = append(out, objectChange{k, "dropped", sql})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].key.typ != out[j].key.typ {
			return out[i].key.typ < out[j].key.typ
		}
		return out[i].key.name < out[j].key.name
	})
	return out
}

// schemaNote fails the run when the learner's code changed the schema of
// a check that does not let it ([Check.ChangesSchema], [Check.StartEmpty]):
// an index made or dropped by code that reads changes the database for
// every other program that uses it, and would change what a later timing
// measures. It returns "" when the schema is as the data set and the
// check's own statements left it.
func (c *C) schemaNote() string {
	if c.check.ChangesSchema || c.check.StartEmpty || c.objects == nil {
		return ""
	}
	now, err := readObjects(c.ownDB())
	if err != nil {
		return ""
	}
	changes := objectChanges(c.objects, now)
	if len(changes) == 0 {
		return ""
	}
	call := c.callName()
	if call == "" {
		call = "Your code"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s changed the database's schema; the lesson's code must leave it as it is:\n", call)
	sites := c.cfg.sites()
	for _, ch := range changes {
		fmt.Fprintf(&b, "    %s the %s %s", ch.verb, ch.key.typ, ch.key.name)
		if e, ok := schemaStatement(c.log.Statements(), ch.key.name); ok {
			fmt.Fprintf(&b, ": %s", clip(oneLine(e.SQL), 90))
			if site := sites.of(e); site != nil {
				fmt.Fprintf(&b, "\n      (sent from %s)", site.Where())
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("  A schema is shared by every program that uses the database, and changed only on purpose, by a\n" +
		"  migration. Leave it as the lesson gives it: work with the tables and indexes that are there.")
	return b.String()
}

// schemaStatement returns the learner's statement that made, changed or
// dropped the object called name: the last CREATE, DROP or ALTER that
// succeeded and names it.
func schemaStatement(entries []stmtlog.Entry, name string) (stmtlog.Entry, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Err != "" {
			continue
		}
		switch strings.ToUpper(firstWord(e.SQL)) {
		case "CREATE", "DROP", "ALTER":
			if strings.Contains(strings.ToLower(e.SQL), name) {
				return e, true
			}
		}
	}
	return stmtlog.Entry{}, false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// writeNote fails the run when the learner's code changed rows of a table
// of the database in a check that does not let it ([Check.Writes]): the
// first statement that did, where it was sent from, and why. It returns ""
// when no statement wrote to one of the database's own tables.
func (c *C) writeNote() string {
	if c.check.Writes || c.check.ChangesSchema || c.check.StartEmpty || c.objects == nil {
		return ""
	}
	for _, e := range c.log.Statements() {
		if e.Err != "" || e.Rows == 0 || !changesRows(e.SQL) {
			continue
		}
		table := strings.ToLower(strings.Trim(stmtlog.TopTable(e.SQL), `"'[]`+"`"))
		if _, mine := c.objects[objectKey{"table", table}]; !mine {
			continue // a temporary table of the code's own
		}
		call := c.callName()
		if call == "" {
			call = "Your code"
		}
		msg := fmt.Sprintf("%s changed rows of %s, where it is only to read:\n    %d. %s  (%s)",
			call, table, e.Seq, clip(oneLine(e.SQL), 100), rowsWord(int(e.Rows)))
		if site := c.cfg.sites().of(e); site != nil {
			msg += "\n      (sent from " + site.Where() + ")"
		}
		return msg + "\n  Code that reads leaves the data as it found it: every other reader sees what it wrote.\n" +
			"  Read with SELECT; a write that gives rows back (… RETURNING) is still a write."
	}
	return ""
}

// changesRows reports whether a statement inserts, updates or deletes
// rows.
func changesRows(query string) bool {
	switch strings.ToUpper(firstWord(query)) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE":
		return true
	case "WITH":
		u := strings.ToUpper(query)
		return strings.Contains(u, "INSERT") || strings.Contains(u, "UPDATE") || strings.Contains(u, "DELETE") || strings.Contains(u, "REPLACE")
	}
	return false
}
