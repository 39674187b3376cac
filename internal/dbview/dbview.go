// Package dbview shows a seeded database to the learner: its schema as a
// readable diagram of tables, keys and foreign keys with row counts, and the
// result of a read-only query as a table.
//
// The workbook command builds without cgo, so it never opens SQLite itself:
// a helper program (workbook/internal/dbview/dbhelper, run with go run)
// reads the database with package workbook/internal/dbview/sqlitedb and
// prints a [Response] as JSON, which the command renders with this package.
package dbview

import (
	"fmt"
	"io"
	"strings"

	"workbook/internal/protocol"
)

// Schema is what a database holds: its tables, in the order they were
// created (a table comes after those it refers to).
type Schema struct {
	Tables []Table `json:"tables"`
}

// Table is one table.
type Table struct {
	Name        string       `json:"name"`
	Rows        int64        `json:"rows"`
	Columns     []Column     `json:"columns"`
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty"`
	Indexes     []Index      `json:"indexes,omitempty"`
	// Checks holds the expressions of the table's CHECK constraints.
	Checks []string `json:"checks,omitempty"`
}

// Column is one column of a table.
type Column struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	NotNull bool   `json:"not_null,omitempty"`
	// PK is the column's place in the primary key, from 1; 0 when it is not
	// part of it.
	PK      int     `json:"pk,omitempty"`
	Unique  bool    `json:"unique,omitempty"`
	Default *string `json:"default,omitempty"`
}

// ForeignKey is a reference from columns of a table to columns of another.
type ForeignKey struct {
	Columns  []string `json:"columns"`
	Table    string   `json:"table"`
	To       []string `json:"to"`
	OnDelete string   `json:"on_delete"`
	OnUpdate string   `json:"on_update"`
}

// Index is an index a table has, besides its primary key.
type Index struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
}

// Result is what a query returned: its columns, and up to a limit of its
// rows, each value as text or nil for NULL.
type Result struct {
	Columns []string    `json:"columns"`
	Rows    [][]*string `json:"rows"`
	// Total counts every row the query returned, also those past the limit.
	Total int `json:"total"`
}

// Response is what the helper program prints: a schema, the result of each
// statement of a query, or the reason a query was refused or failed (the
// learner's to read, as it is).
type Response struct {
	Schema  *Schema   `json:"schema,omitempty"`
	Results []*Result `json:"results,omitempty"`
	Error   string    `json:"error,omitempty"`
}

// A Request is one line the command sends the helper in a scratchpad
// session (dbhelper sql): SQL typed or given with -e.
type Request struct {
	// SQL is the text to run: every complete statement in it runs, in
	// order, until one fails.
	SQL string `json:"sql"`
	// End says no more text follows: a last statement without its
	// semicolon runs too, rather than waiting for the rest of it.
	End bool `json:"end,omitempty"`
}

// A Reply is the helper's answer to a [Request], one JSON line; the first
// line of a session, before any request, is a Reply with Ready or Error.
type Reply struct {
	// Ready says the session's copy is open, with its Tables.
	Ready  bool     `json:"ready,omitempty"`
	Tables []string `json:"tables,omitempty"`
	// Statements are the statements that ran, each with what it did; the
	// last one may have failed.
	Statements []Statement `json:"statements,omitempty"`
	// Rest is the start of a statement not yet complete, which the next
	// request should begin with. It is "" after a request with End.
	Rest string `json:"rest,omitempty"`
	// Error is why the session could not go on (not a statement's error).
	Error string `json:"error,omitempty"`
}

// Statement is one statement a scratchpad ran and what it did.
type Statement struct {
	SQL string `json:"sql"`
	// Result holds the rows of a statement that reads and returns rows.
	Result *Result `json:"result,omitempty"`
	// Affected counts the rows the statement itself inserted, updated or
	// deleted (SQLite's changes(): without the rows a cascade or a trigger
	// changed); nil for a statement that only reads.
	Affected *int64 `json:"affected,omitempty"`
	// Changes says how each table that changed changed, cascades
	// included, in the order the tables were made; nil for a statement
	// that only reads.
	Changes []TableChange `json:"changes,omitempty"`
	// Wrote says the statement was not a query, so Changes is what it
	// did, even when it is empty.
	Wrote bool `json:"wrote,omitempty"`
	// Error is SQLite's error, when the statement failed; it then
	// changed nothing.
	Error string `json:"error,omitempty"`
}

// TableChange is how one table differs after a statement from before it.
// Rows are compared by primary key (by rowid for a table without one): a
// row with a key that is new was added, one whose key is gone was removed,
// and one whose other columns differ was updated.
type TableChange struct {
	Table string `json:"table"`
	// Before and After count the table's rows.
	Before int `json:"before"`
	After  int `json:"after"`
	// Created and Dropped say the table is new, or gone.
	Created bool `json:"created,omitempty"`
	Dropped bool `json:"dropped,omitempty"`
	// Added, Removed and Updated count the rows of each kind; the Shown
	// lists give the first of them (up to a limit), each written as
	// "id=1, name=Alice" (an update as "id=3: split_with 1 -> NULL").
	Added        int      `json:"added,omitempty"`
	Removed      int      `json:"removed,omitempty"`
	Updated      int      `json:"updated,omitempty"`
	AddedShown   []string `json:"added_shown,omitempty"`
	RemovedShown []string `json:"removed_shown,omitempty"`
	UpdatedShown []string `json:"updated_shown,omitempty"`
}

// Glyphs are the characters a diagram is drawn with.
type Glyphs struct {
	Arrow    string // a foreign key points: →
	OneMany  string // one row to many: ─<
	ManyMany string // many to many: >─<
}

var (
	// Plain glyphs are ASCII, for output that is piped.
	Plain = Glyphs{Arrow: "->", OneMany: "-<", ManyMany: ">-<"}
	// Fancy glyphs are for a terminal.
	Fancy = Glyphs{Arrow: "→", OneMany: "─<", ManyMany: ">─<"}
)

// WriteSchema writes s as a diagram: each table with its row count, its
// columns and keys, then how the tables connect.
func WriteSchema(w io.Writer, s *Schema, g Glyphs) {
	for _, t := range s.Tables {
		fmt.Fprintf(w, "%s (%s)\n", t.Name, protocol.Counted(int(t.Rows), "row"))
		fks := map[string]ForeignKey{}
		for _, fk := range t.ForeignKeys {
			if len(fk.Columns) == 1 {
				fks[fk.Columns[0]] = fk
			}
		}
		pkSize := 0
		nameWidth, typeWidth := 0, 0
		for _, c := range t.Columns {
			if c.PK > 0 {
				pkSize++
			}
			nameWidth = max(nameWidth, len(c.Name))
			typeWidth = max(typeWidth, len(c.Type))
		}
		for _, c := range t.Columns {
			var attrs []string
			switch {
			case c.PK > 0 && pkSize == 1:
				attrs = append(attrs, "primary key")
			case c.PK > 0:
				attrs = append(attrs, fmt.Sprintf("primary key (%d of %d)", c.PK, pkSize))
			}
			if c.NotNull {
				attrs = append(attrs, "not null")
			}
			if c.Unique {
				attrs = append(attrs, "unique")
			}
			if c.Default != nil {
				attrs = append(attrs, "default "+*c.Default)
			}
			line := fmt.Sprintf("  %-*s  %-*s  %s", nameWidth, c.Name, typeWidth, c.Type, strings.Join(attrs, ", "))
			if fk, ok := fks[c.Name]; ok {
				line += fmt.Sprintf("  %s %s.%s, on delete %s", g.Arrow, fk.Table, fk.To[0], action(fk.OnDelete))
			}
			fmt.Fprintln(w, strings.TrimRight(line, " "))
		}
		for _, fk := range t.ForeignKeys {
			if len(fk.Columns) > 1 {
				fmt.Fprintf(w, "  (%s) %s %s(%s), on delete %s\n", strings.Join(fk.Columns, ", "), g.Arrow, fk.Table, strings.Join(fk.To, ", "), action(fk.OnDelete))
			}
		}
		for _, ix := range t.Indexes {
			kind := "index"
			if ix.Unique {
				kind = "unique index"
			}
			fmt.Fprintf(w, "  %s %s (%s)\n", kind, ix.Name, strings.Join(ix.Columns, ", "))
		}
		for _, c := range t.Checks {
			fmt.Fprintf(w, "  check (%s)\n", c)
		}
		fmt.Fprintln(w)
	}
	writeLinks(w, s, g)
}

// writeLinks writes how the tables connect: one-to-many along each foreign
// key, and many-to-many through a table whose primary key is two foreign
// keys.
func writeLinks(w io.Writer, s *Schema, g Glyphs) {
	type link struct{ left, right, note string }
	var links []link
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			links = append(links, link{
				left:  fmt.Sprintf("%s %s %s", fk.Table, g.OneMany, t.Name),
				right: fmt.Sprintf("%s.%s %s %s.%s, on delete %s", t.Name, strings.Join(fk.Columns, ", "), g.Arrow, fk.Table, strings.Join(fk.To, ", "), action(fk.OnDelete)),
			})
		}
	}
	for _, t := range s.Tables {
		if a, b, ok := linkTable(t); ok {
			links = append(links, link{left: fmt.Sprintf("%s %s %s", a, g.ManyMany, b), right: "many-to-many, through " + t.Name})
		}
	}
	if len(links) == 0 {
		fmt.Fprintln(w, "No table refers to another: there are no foreign keys.")
		return
	}
	fmt.Fprintf(w, "How the tables connect (one %s many):\n", g.OneMany)
	width := 0
	for _, l := range links {
		width = max(width, len([]rune(l.left)))
	}
	for _, l := range links {
		fmt.Fprintf(w, "  %s%s  %s\n", l.left, strings.Repeat(" ", width-len([]rune(l.left))), l.right)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `On delete: "no action" refuses to delete a row that others still refer to (when foreign`)
	fmt.Fprintln(w, `keys are on); "cascade" deletes those rows with it; "set null" empties their column.`)
}

// linkTable reports whether t links two tables many-to-many: its primary key
// is made of exactly two columns, each a foreign key to another table.
func linkTable(t Table) (a, b string, ok bool) {
	var pk []string
	for _, c := range t.Columns {
		if c.PK > 0 {
			pk = append(pk, c.Name)
		}
	}
	if len(pk) != 2 {
		return "", "", false
	}
	var ends []string
	for _, col := range pk {
		for _, fk := range t.ForeignKeys {
			if len(fk.Columns) == 1 && fk.Columns[0] == col {
				ends = append(ends, fk.Table)
			}
		}
	}
	if len(ends) != 2 || ends[0] == ends[1] {
		return "", "", false
	}
	return ends[0], ends[1], true
}

// action writes an ON DELETE action in lower case: "no action", "cascade".
func action(a string) string {
	if a == "" {
		return "no action"
	}
	return strings.ToLower(a)
}

// WriteResult writes r as a table with a line under the column names, NULL
// for a missing value, and the count of rows, saying when not all are shown.
func WriteResult(w io.Writer, r *Result) {
	if len(r.Columns) == 0 {
		fmt.Fprintln(w, "(the statement returned no columns)")
		return
	}
	cells := make([][]string, len(r.Rows))
	widths := make([]int, len(r.Columns))
	for i, c := range r.Columns {
		widths[i] = textWidth(c)
	}
	for i, row := range r.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			text := "NULL"
			if v != nil {
				text = oneLine(*v)
			}
			cells[i][j] = text
			if j < len(widths) {
				widths[j] = max(widths[j], textWidth(text))
			}
		}
	}
	writeRow := func(values []string) {
		var b strings.Builder
		for i, v := range values {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(v)
			if i < len(values)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-textWidth(v)))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	writeRow(r.Columns)
	rule := make([]string, len(widths))
	for i, n := range widths {
		rule[i] = strings.Repeat("-", n)
	}
	writeRow(rule)
	for _, row := range cells {
		writeRow(row)
	}
	switch {
	case r.Total > len(r.Rows):
		fmt.Fprintf(w, "(%s; the first %s shown)\n", protocol.Counted(r.Total, "row"), protocol.Count(len(r.Rows)))
	default:
		fmt.Fprintf(w, "(%s)\n", protocol.Counted(r.Total, "row"))
	}
}

// oneLine shows a value on one line: line breaks and other control
// characters as escapes, so that a value cannot break the table or move
// the cursor.
func oneLine(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func textWidth(s string) int { return len([]rune(s)) }

// WriteStatement writes what a scratchpad's statement did: its error, or
// the rows it returned, or how many rows it changed itself and then every
// table that changed, cascades included.
func WriteStatement(w io.Writer, st Statement) {
	switch {
	case st.Error != "":
		fmt.Fprintf(w, "Error: %s\n(Nothing changed.)\n", st.Error)
		return
	case st.Result != nil && len(st.Result.Columns) > 0:
		WriteResult(w, st.Result)
	}
	if !st.Wrote {
		if st.Result == nil || len(st.Result.Columns) == 0 {
			fmt.Fprintln(w, "Done.")
		}
		return
	}
	if st.Affected != nil {
		fmt.Fprintf(w, "%s affected by the statement itself.\n", capital(protocol.Counted(int(*st.Affected), "row")))
	}
	if len(st.Changes) == 0 {
		fmt.Fprintln(w, "No table changed.")
		return
	}
	fmt.Fprintln(w, "What changed, cascades included:")
	for _, c := range st.Changes {
		switch {
		case c.Created:
			fmt.Fprintf(w, "  %s: a new table, %s\n", c.Table, protocol.Counted(c.After, "row"))
		case c.Dropped:
			fmt.Fprintf(w, "  %s: dropped, with its %s\n", c.Table, protocol.Counted(c.Before, "row"))
			continue
		default:
			var what []string
			for _, k := range []struct {
				n    int
				verb string
			}{{c.Added, "added"}, {c.Removed, "removed"}, {c.Updated, "updated"}} {
				if k.n > 0 {
					what = append(what, protocol.Count(k.n)+" "+k.verb)
				}
			}
			fmt.Fprintf(w, "  %s: %s -> %s (%s)\n", c.Table, protocol.Count(c.Before), protocol.Counted(c.After, "row"), strings.Join(what, ", "))
		}
		writeShown(w, "+", c.AddedShown, c.Added)
		writeShown(w, "-", c.RemovedShown, c.Removed)
		writeShown(w, "~", c.UpdatedShown, c.Updated)
	}
}

// writeShown writes the rows shown of a kind, each after mark, and how many
// more there are.
func writeShown(w io.Writer, mark string, shown []string, total int) {
	for _, r := range shown {
		fmt.Fprintf(w, "      %s %s\n", mark, oneLine(r))
	}
	if more := total - len(shown); more > 0 && len(shown) > 0 {
		fmt.Fprintf(w, "      %s and %s more\n", mark, protocol.Count(more))
	}
}

// capital returns s with its first letter in upper case.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
