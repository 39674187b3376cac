package checker

import (
	"context"
	"fmt"
	"strings"

	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// An UnindexedKey is a foreign key whose child columns no index can search:
// each delete (or key change) of a parent row makes SQLite read the whole
// child table for the rows that point at it, which is what the sqlite3
// shell's `.lint fkey-indexes` reports.
type UnindexedKey struct {
	// Table and Columns are the key's child side, Columns in the key's
	// order.
	Table   string
	Columns []string
	// Parent and ParentColumns are what the key refers to (ParentColumns
	// the parent's primary key when the key names none).
	Parent        string
	ParentColumns []string
	// Collations are the collating sequences SQLite compares each of
	// Columns with when it looks the children up: the parent columns'.
	Collations []string
	// Plan is how SQLite finds the children of one parent row, the detail
	// of EXPLAIN QUERY PLAN for the lookup ("SCAN weight_entries").
	Plan string
	// Near lists the indexes of Table that hold the key's columns but
	// cannot serve the lookup, one phrase each ("weight_entries_recorded_at
	// starts with recorded_at"), for the message.
	Near []string
}

// Fix is the statement that makes an index SQLite can search for k's
// lookup, named as the shell's `.lint fkey-indexes` names it.
func (k UnindexedKey) Fix() string {
	cols := make([]string, len(k.Columns))
	for i, c := range k.Columns {
		cols[i] = c
		if coll := k.Collations[i]; coll != "" && !strings.EqualFold(coll, "BINARY") {
			cols[i] += " COLLATE " + coll
		}
	}
	return fmt.Sprintf("CREATE INDEX %s_%s ON %s(%s);", k.Table, strings.Join(k.Columns, "_"), k.Table, strings.Join(cols, ", "))
}

// String says what k is, as the shell's lint does: the child columns, an
// arrow, the parent's.
func (k UnindexedKey) String() string {
	return fmt.Sprintf("%s(%s) --> %s(%s)", k.Table, strings.Join(k.Columns, ", "), k.Parent, strings.Join(k.ParentColumns, ", "))
}

// UnindexedForeignKeys returns the foreign keys of the main schema that
// lack an index SQLite can search to find a parent row's children, in the
// order of their tables and then of their keys.
//
// It decides as the sqlite3 shell's `.lint fkey-indexes` does: for each
// key, it asks SQLite how it would run SELECT 1 FROM child WHERE each
// child column = ? (compared with the parent column's collation, as a
// foreign key's lookup is), and the key is covered when the plan is a
// search of an index using all of those equalities, or of the table's
// INTEGER PRIMARY KEY. So an index serves when its first columns are the
// key's columns in any order, each with the parent column's collation; a
// partial index serves only when its WHERE follows from the lookup (a
// WHERE col IS NOT NULL does).
func UnindexedForeignKeys(ctx context.Context, q sqlite.Querier) ([]UnindexedKey, error) {
	tables, err := sqlite.Tables(ctx, q, "main")
	if err != nil {
		return nil, err
	}
	var out []UnindexedKey
	for _, table := range tables {
		fks, err := sqlite.ForeignKeys(ctx, q, "main", table)
		if err != nil {
			return nil, err
		}
		// SQLite numbers the key declared last 0: go in the declared order.
		for i := len(fks) - 1; i >= 0; i-- {
			k, ok, err := lintKey(ctx, q, table, fks[i])
			if err != nil {
				return nil, err
			}
			if !ok {
				out = append(out, k)
			}
		}
	}
	return out, nil
}

// lintKey reports whether fk of table has an index its lookup can search,
// and describes it when it has not.
func lintKey(ctx context.Context, q sqlite.Querier, table string, fk sqlite.ForeignKey) (UnindexedKey, bool, error) {
	k := UnindexedKey{Table: table, Columns: fk.From, Parent: fk.Parent, ParentColumns: fk.To}
	if len(k.ParentColumns) == 0 {
		pk, err := sqlite.PrimaryKey(ctx, q, "main", fk.Parent)
		if err != nil {
			return k, false, err
		}
		k.ParentColumns = pk
	}
	colls, err := parentCollations(ctx, q, fk.Parent, k.ParentColumns)
	if err != nil {
		return k, false, err
	}
	k.Collations = colls
	var where []string
	for i, c := range k.Columns {
		where = append(where, fmt.Sprintf("%s.%s = ? COLLATE %s", sqlite.QuoteIdent(table), sqlite.QuoteIdent(c), sqlite.QuoteIdent(colls[i])))
	}
	query := fmt.Sprintf("EXPLAIN QUERY PLAN SELECT 1 FROM %s WHERE %s", sqlite.QuoteIdent(table), strings.Join(where, " AND "))
	args := make([]any, len(k.Columns))
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return k, false, fmt.Errorf("checker: asking how SQLite finds the rows of %s: %w", k, err)
	}
	var details []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			rows.Close()
			return k, false, fmt.Errorf("checker: asking how SQLite finds the rows of %s: %w", k, err)
		}
		details = append(details, detail)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return k, false, fmt.Errorf("checker: asking how SQLite finds the rows of %s: %w", k, err)
	}
	rows.Close()
	k.Plan = strings.Join(details, "; ")
	// The shell's globs, with the table's name for its first *.
	equalities := strings.TrimSuffix(strings.Repeat("*=? AND ", len(k.Columns)), " AND ")
	index := "SEARCH " + table + " USING COVERING INDEX *(" + equalities + ")"
	rowid := "SEARCH " + table + " USING INTEGER PRIMARY KEY (rowid=?)"
	for _, d := range details {
		if globMatch(index, d) || globMatch(rowid, d) {
			return k, true, nil
		}
	}
	indexes, err := sqlite.Indexes(ctx, q, "main", table)
	if err != nil {
		return k, false, err
	}
	k.Near = nearIndexes(k, indexes)
	return k, false, nil
}

// parentCollations returns the collating sequence of each of columns of
// parent. A foreign key's parent columns are its primary key or have a
// UNIQUE index, and SQLite uses only an index whose collations are the
// columns' own, so that index tells them; the rowid (an INTEGER PRIMARY KEY)
// has none and compares as BINARY.
func parentCollations(ctx context.Context, q sqlite.Querier, parent string, columns []string) ([]string, error) {
	out := make([]string, len(columns))
	for i := range out {
		out[i] = "BINARY"
	}
	indexes, err := sqlite.Indexes(ctx, q, "main", parent)
	if err != nil {
		return nil, err
	}
	for _, ix := range indexes {
		if !ix.Unique || len(ix.Columns) != len(columns) || ix.Partial {
			continue
		}
		at := map[string]int{}
		for j, c := range ix.Columns {
			at[strings.ToLower(c)] = j
		}
		found := true
		for _, c := range columns {
			if _, ok := at[strings.ToLower(c)]; !ok {
				found = false
			}
		}
		if !found {
			continue
		}
		for i, c := range columns {
			out[i] = ix.Collations[at[strings.ToLower(c)]]
		}
		return out, nil
	}
	return out, nil
}

// nearIndexes says, for each index of k's table that CREATE INDEX made or
// that holds one of k's columns, why it cannot serve k's lookup.
func nearIndexes(k UnindexedKey, indexes []sqlite.Index) []string {
	want := map[string]string{} // column, lower case → collation
	for i, c := range k.Columns {
		want[strings.ToLower(c)] = k.Collations[i]
	}
	var out []string
	for _, ix := range indexes {
		holds := false
		for _, c := range ix.Columns {
			if _, ok := want[strings.ToLower(c)]; ok {
				holds = true
			}
		}
		if !holds && ix.Origin != "c" {
			continue
		}
		name := ix.Name
		if ix.Origin != "c" {
			name = fmt.Sprintf("the index of the table's %s", map[string]string{"pk": "PRIMARY KEY", "u": "UNIQUE"}[ix.Origin])
		}
		lead := ix.Columns
		if len(lead) > len(k.Columns) {
			lead = lead[:len(k.Columns)]
		}
		why := ""
		for i, c := range lead {
			coll, ok := want[strings.ToLower(c)]
			switch {
			case !ok:
				why = fmt.Sprintf("starts with %s", strings.Join(ix.Columns[:i+1], ", "))
			case !strings.EqualFold(coll, ix.Collations[i]):
				why = fmt.Sprintf("compares %s with COLLATE %s, where the key compares it with %s", c, ix.Collations[i], coll)
			}
			if why != "" {
				break
			}
		}
		switch {
		case why != "":
		case len(lead) < len(k.Columns):
			why = fmt.Sprintf("has only %s", strings.Join(ix.Columns, ", "))
		case ix.Partial:
			why = "is partial, and its WHERE does not follow from the lookup"
		default:
			continue
		}
		out = append(out, name+" "+why)
	}
	return out
}

// globMatch reports whether s matches pattern, in which * stands for any
// text, as in the shell's globs (which hold no other wildcard: their ? is
// the plan's own "=?").
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := len(parts) - 1
	if last == 0 {
		return s == ""
	}
	for _, p := range parts[1:last] {
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return strings.HasSuffix(s, parts[last])
}

// ExpectForeignKeysIndexed fails the check for each foreign key of the
// database that no index can serve ([UnindexedForeignKeys]), with how
// SQLite finds a parent's children now (the plan's SCAN), the indexes that
// come near and why they do not serve, and the CREATE INDEX that fixes it.
// It reports whether every key is indexed.
func (c *C) ExpectForeignKeysIndexed() bool {
	keys, err := UnindexedForeignKeys(context.Background(), c.ownDB())
	if err != nil {
		c.stop1(protocol.KindBroken, fmt.Sprintf("checker: %v", err))
	}
	for _, k := range keys {
		var b strings.Builder
		fmt.Fprintf(&b, "The foreign key %s has no index that SQLite can search for it.\n", k)
		fmt.Fprintf(&b, "  SQLite does not index the child side of a foreign key by itself. To find the rows of\n"+
			"  %s that point at one %s row (each delete of a %s row, for its ON DELETE),\n"+
			"  it runs\n      SELECT 1 FROM %s WHERE %s\n  and the plan is\n      %s\n",
			k.Table, k.Parent, k.Parent, k.Table, lookupWhere(k), k.Plan)
		b.WriteString("  which reads every row of " + k.Table + ", once for each deleted " + k.Parent + " row.\n")
		for _, n := range k.Near {
			fmt.Fprintf(&b, "  Your index %s, so it cannot serve.\n", n)
		}
		fmt.Fprintf(&b, "  An index whose first columns are %s turns it into a SEARCH:\n      %s\n"+
			"  (the sqlite3 shell's .lint fkey-indexes reports the same.)",
			strings.Join(k.Columns, ", "), k.Fix())
		c.fail(protocol.KindPlan, b.String())
	}
	return len(keys) == 0
}

func lookupWhere(k UnindexedKey) string {
	var parts []string
	for _, col := range k.Columns {
		parts = append(parts, col+" = ?")
	}
	return strings.Join(parts, " AND ")
}
