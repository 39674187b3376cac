package checker

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
	"workbook/internal/sqlite"
)

var (
	leftJoin  = regexp.MustCompile(`(?i)\bLEFT\s+(?:OUTER\s+)?JOIN\b`)
	anyJoin   = regexp.MustCompile(`(?i)\b(\w+\s+)?JOIN\b`)
	groupBy   = regexp.MustCompile(`(?i)\bGROUP\s+BY\b`)
	nullScan  = regexp.MustCompile(`converting NULL to \S+ is unsupported`)
	scanOfCol = regexp.MustCompile(`Scan error on column index \d+, name "([^"]+)"`)
)

// joinNote explains a wrong result by the joins of the learner's queries,
// when the difference is the one a join makes:
//
//   - rows whose key is a zero value ({ID: 0, …}, {Category: "", …}) that
//     want has none of, from queries with a LEFT JOIN: the row a LEFT JOIN
//     keeps for a parent without children, its NULLs turned into zeros;
//   - rows of want missing from got that all hold no children (an empty
//     list, a zero count or total), from queries with an inner JOIN and no
//     LEFT JOIN: the parents an inner join drops.
//
// It returns "" otherwise.
func (c *C) joinNote(got, want any, o rowdiff.Options) string {
	queries := c.log.Statements()
	hasLeft, hasInner := false, false
	for _, e := range queries {
		if !e.Query {
			continue
		}
		hasLeft = hasLeft || leftJoin.MatchString(e.SQL)
		hasInner = hasInner || hasInnerJoin(e.SQL)
	}
	key := o.Key
	if key == "" {
		key = "ID"
	}
	noun := nounOf(o)
	if hasLeft {
		if phantom, ok := zeroKeyed(got, key); ok && countZeroKeyed(got, key) > countZeroKeyed(want, key) {
			grouped, example, counted := "", "a parent row without children", "e.id"
			for _, e := range queries {
				if !e.Query || !leftJoin.MatchString(e.SQL) {
					continue
				}
				if groupBy.MatchString(e.SQL) {
					grouped = " GROUP BY made that row a group of its own."
				}
				example = joinExample(e.SQL, true)
				if m := leftJoinTable.FindStringSubmatch(e.SQL); m != nil {
					counted = c.keyColumn(m[1], m[2])
				}
			}
			// The ways out that fit: a count for a grouped query, an inner
			// join only where the result keeps no parent without children.
			ways := "test a column of the joined table for NULL (the NULL means \"no\nchild\"; scan it into a pointer or sql.Null* field)"
			if grouped != "" {
				ways += fmt.Sprintf(", or count the joined rows (count(%s) is 0 for such a group)", counted)
			}
			if !anyChildless(want) {
				ways += ", or join with an inner JOIN where parents without children must not appear"
			}
			return fmt.Sprintf("The row %s has no key (its %s is a zero value): it is the row\n"+
				"a LEFT JOIN keeps for a parent without a match (%s), with NULL in every\n"+
				"column of the joined tables, which became zeros when they were scanned (or coalesced).%s\n"+
				"Keep only real matches: %s.",
				rowdiff.Format(phantom, 100), key, example, grouped, ways)
		}
	}
	if hasLeft {
		missing := missingRows(got, want, key)
		for _, e := range queries {
			if len(missing) == 0 || !allChildless(missing) || !e.Query {
				continue
			}
			if joined, cond := whereOnLeftJoined(e.SQL); joined != "" {
				return fmt.Sprintf("Every missing %s has nothing joined to it (%s), and statement %d's WHERE tests\n"+
					"%s, a column of the table its LEFT JOIN brings in. For a parent without children\n"+
					"that column is NULL, and a WHERE on NULL is never true, so the row the LEFT JOIN kept is\n"+
					"thrown away again: the WHERE makes it an inner join. Put the condition in the ON clause\n"+
					"(LEFT JOIN ... ON ... AND %s), which picks the children and keeps every parent.",
					noun, childless(missing[0]), e.Seq, joined, cond)
			}
		}
	}
	if why := splitParents(got, key, o); why != "" {
		return why
	}
	if hasInner && !hasLeft {
		missing := missingRows(got, want, key)
		if len(missing) > 0 && allChildless(missing) {
			return fmt.Sprintf("Every missing %s has nothing joined to it (%s): an inner JOIN keeps only the rows\n"+
				"that have a match on both sides, so a parent without children gives no row at all. A LEFT\n"+
				"JOIN keeps it, with NULL in the joined table's columns (scan them into pointer or sql.Null*\n"+
				"fields, and leave such a row out of the children).",
				noun, childless(missing[0]))
		}
	}
	return ""
}

// keyColumn names, for count(), a column of table that is never NULL in
// a row it has: the first column of its primary key (rowid when it has
// none), qualified by the alias a query gave it, or by its name when the
// alias is "" or a keyword that follows a table (ON, USING, WHERE).
func (c *C) keyColumn(table, alias string) string {
	switch strings.ToUpper(alias) {
	case "", "ON", "USING", "WHERE", "GROUP", "ORDER", "LEFT", "INNER", "JOIN", "CROSS", "LIMIT":
		alias = table
	}
	col := "rowid"
	if pk, err := sqlite.PrimaryKey(context.Background(), c.ownDB(), "main", table); err == nil && len(pk) > 0 {
		col = pk[0]
	}
	return alias + "." + col
}

// joinedTable matches a JOIN of any kind and the table it brings in.
var joinedTable = regexp.MustCompile(`(?i)\b(LEFT\s+(?:OUTER\s+)?)?JOIN\s+["\x60\[]?(\w+)`)

// joinExample says what a parent without children is in query's own
// tables: "a row of users with no row in expenses", for the first table
// its top level reads and the first table it joins (the first it LEFT
// JOINs, when left is set), or "a parent row without children" when it
// cannot tell.
func joinExample(query string, left bool) string {
	parent := stmtlog.TopTable(query)
	for _, m := range joinedTable.FindAllStringSubmatch(query, -1) {
		if left && m[1] == "" || strings.EqualFold(m[2], "select") {
			continue
		}
		if parent != "" && !strings.EqualFold(parent, m[2]) {
			return fmt.Sprintf("a row of %s with no row in %s", parent, m[2])
		}
		break
	}
	return "a parent row without children"
}

// splitParents explains a result whose rows repeat a key, each holding a
// list (a user twice, with some of their expenses each), from a query whose
// ORDER BY does not begin with the key the rows are ordered by: a walk of
// the joined rows starts a new parent each time the parent's id changes,
// and the ORDER BY does not keep one parent's rows together. It returns ""
// otherwise.
func splitParents(got any, key string, o rowdiff.Options) string {
	rows, ok := got.([]any)
	parents := o.OrderBy[""]
	if !ok || len(parents) == 0 || len(o.Sent) == 0 {
		return ""
	}
	seen := map[string]bool{}
	repeated, holdsList := "", false
	for _, r := range rows {
		obj, ok := r.(*rowdiff.Object)
		if !ok {
			return ""
		}
		k, ok := keyOf(obj, key)
		if !ok {
			return ""
		}
		for _, f := range obj.Keys {
			if _, ok := obj.Values[f].([]any); ok {
				holdsList = true
			}
		}
		ks := fmt.Sprint(k)
		if seen[ks] && repeated == "" {
			repeated = ks
		}
		seen[ks] = true
	}
	first := o.Sent[0]
	fq, fn := splitTerm(first.Term)
	pq, pn := splitTerm(parents[0].Term)
	same := fn == pn && (fq == "" || pq == "" || fq == pq)
	if repeated == "" || !holdsList || same {
		return ""
	}
	noun := nounOf(o)
	return fmt.Sprintf("The %s with %s %s comes more than once, each time with some of their rows: your code starts a\n"+
		"new %s whenever the joined rows move to another %s, and your ORDER BY begins with %s, which\n"+
		"does not keep one %s's rows together. Order by the %s first: ORDER BY %s, then the rest.",
		noun, key, repeated, noun, noun, first.Term, noun, noun, parents[0].Term)
}

// splitTerm returns a term's table qualifier and column, lower case.
func splitTerm(term string) (qualifier, column string) {
	i := strings.LastIndex(term, ".")
	if i < 0 {
		return "", strings.ToLower(strings.ReplaceAll(term, "_", ""))
	}
	return strings.ToLower(term[:i]), strings.ToLower(strings.ReplaceAll(term[i+1:], "_", ""))
}

// zeroKeyed returns the first object, in v or in the lists it holds, whose
// key field holds a zero value.
func zeroKeyed(v any, key string) (any, bool) {
	var found any
	walkRows(v, key, func(o *rowdiff.Object) bool {
		found = o
		return false
	})
	return found, found != nil
}

func countZeroKeyed(v any, key string) int {
	n := 0
	walkRows(v, key, func(*rowdiff.Object) bool { n++; return true })
	return n
}

// walkRows calls f for each object of a list in v, at any depth, whose key
// (key at the top, ID or id below) is a zero value, until f returns false.
func walkRows(v any, key string, f func(*rowdiff.Object) bool) bool {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			if o, ok := x.(*rowdiff.Object); ok {
				if k, ok := keyOf(o, key); ok && isZero(k) && !f(o) {
					return false
				}
			}
			if !walkRows(x, "ID", f) {
				return false
			}
		}
	case *rowdiff.Object:
		for _, k := range v.Keys {
			if !walkRows(v.Values[k], "ID", f) {
				return false
			}
		}
	}
	return true
}

func keyOf(o *rowdiff.Object, key string) (any, bool) {
	if v, ok := o.Get(key); ok {
		return v, true
	}
	return o.Get(strings.ToLower(key))
}

func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case json.Number:
		return v == "0" || v == "0.0"
	case float64:
		return v == 0
	case []any:
		return len(v) == 0
	}
	return false
}

// missingRows returns the rows of the top-level list want whose key no
// row of got has.
func missingRows(got, want any, key string) []*rowdiff.Object {
	g, ok1 := got.([]any)
	w, ok2 := want.([]any)
	if !ok2 || ok1 && len(g) >= len(w) {
		return nil
	}
	have := map[string]bool{}
	for _, x := range g {
		if o, ok := x.(*rowdiff.Object); ok {
			if k, ok := keyOf(o, key); ok {
				have[fmt.Sprint(k)] = true
			}
		}
	}
	var out []*rowdiff.Object
	for _, x := range w {
		o, ok := x.(*rowdiff.Object)
		if !ok {
			return nil
		}
		k, ok := keyOf(o, key)
		if !ok {
			return nil
		}
		if !have[fmt.Sprint(k)] {
			out = append(out, o)
		}
	}
	return out
}

// allChildless reports whether every row holds a field that says it has
// no children: an empty list, or a zero count or total.
func allChildless(rows []*rowdiff.Object) bool {
	for _, o := range rows {
		if childless(o) == "" {
			return false
		}
	}
	return true
}

// anyChildless reports whether v, a list of rows, holds a row without
// children (an empty list in it): the result keeps such parents.
func anyChildless(v any) bool {
	for _, o := range topRows(v) {
		for _, k := range o.Keys {
			if l, ok := o.Values[k].([]any); ok && len(l) == 0 || o.Values[k] == nil && isList(k, v) {
				return true
			}
		}
	}
	return false
}

// isList reports whether field k holds a list in some row of v.
func isList(k string, v any) bool {
	for _, o := range topRows(v) {
		if _, ok := o.Values[k].([]any); ok {
			return true
		}
	}
	return false
}

// childless names the field of o that says it has no children, as
// "Expenses is empty", or returns "".
func childless(o *rowdiff.Object) string {
	for _, k := range o.Keys {
		switch v := o.Values[k].(type) {
		case nil, []any:
			if isZero(v) {
				return k + " is empty"
			}
		}
	}
	for _, k := range o.Keys {
		lower := strings.ToLower(k)
		if v := o.Values[k]; isNumber(v) && isZero(v) && (strings.Contains(lower, "count") ||
			strings.Contains(lower, "total") || strings.Contains(lower, "sum") || strings.HasPrefix(lower, "num")) {
			return k + " is 0"
		}
	}
	return ""
}

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64:
		return true
	}
	return false
}

// hasInnerJoin reports whether query joins with an inner JOIN (JOIN or
// INNER JOIN, not LEFT, RIGHT, FULL or CROSS).
func hasInnerJoin(query string) bool {
	for _, m := range anyJoin.FindAllStringSubmatch(query, -1) {
		switch strings.ToUpper(strings.TrimSpace(m[1])) {
		case "LEFT", "OUTER", "RIGHT", "FULL", "CROSS", "NATURAL":
		default:
			return true
		}
	}
	return false
}

// noRowsNote explains sql.ErrNoRows from a query with an inner JOIN: the
// parent exists, but without children the join gives no row for it. It
// returns "" otherwise.
func noRowsNote(err error, entries []stmtlog.Entry) string {
	if !errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	last, ok := lastQuery(entries)
	if !ok || last.Rows != 0 || !hasInnerJoin(last.SQL) || leftJoin.MatchString(last.SQL) {
		return ""
	}
	return fmt.Sprintf("If the row asked for exists, statement %d's inner JOIN is why: it gives no row at all for\n"+
		"a parent that has no children (%s), since the join finds nothing to pair\n"+
		"it with. Load the parent on its own, or LEFT JOIN to keep it.", last.Seq, joinExample(last.SQL, false))
}

func lastQuery(entries []stmtlog.Entry) (stmtlog.Entry, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Kind == stmtlog.KindStatement && entries[i].Query {
			return entries[i], true
		}
	}
	return stmtlog.Entry{}, false
}

// nullScanNote explains an error scanning a NULL into a plain field when
// the query that returned it has a LEFT JOIN: the NULL is the one the join
// gives a parent without children. It returns "" otherwise.
func nullScanNote(err error, entries []stmtlog.Entry) string {
	if err == nil || !nullScan.MatchString(err.Error()) {
		return ""
	}
	last, _ := lastQuery(entries)
	if !leftJoin.MatchString(last.SQL) {
		return ""
	}
	col := "a column of the joined table"
	if m := scanOfCol.FindStringSubmatch(err.Error()); m != nil {
		col = "column " + m[1]
	}
	return fmt.Sprintf("The NULL in %s comes from the LEFT JOIN of statement %d: it keeps a row for a\n"+
		"parent that has no match (%s), with NULL in every column of the joined\n"+
		"table. Decide what such a parent should give: nothing at all (an inner JOIN, or test the\n"+
		"joined column for NULL), or a row whose fields can hold NULL (pointers or sql.Null*).", col, last.Seq, joinExample(last.SQL, true))
}

var (
	leftJoinTable = regexp.MustCompile(`(?i)\bLEFT\s+(?:OUTER\s+)?JOIN\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)
	whereClause   = regexp.MustCompile(`(?is)\bWHERE\b(.*?)(?:\bGROUP\s+BY\b|\bORDER\s+BY\b|\bLIMIT\b|\bHAVING\b|$)`)
)

// whereOnLeftJoined finds, in a query with a LEFT JOIN, a WHERE condition
// on a column of the joined table that is not a test for NULL: the column
// it names (e.amount_cents) and the condition, or "" when there is none.
func whereOnLeftJoined(query string) (column, cond string) {
	q := strings.Join(strings.Fields(query), " ")
	w := whereClause.FindStringSubmatch(q)
	if w == nil {
		return "", ""
	}
	for _, m := range leftJoinTable.FindAllStringSubmatch(q, -1) {
		name := m[1]
		if m[2] != "" && !strings.EqualFold(m[2], "ON") {
			name = m[2]
		}
		for _, part := range regexp.MustCompile(`(?i)\s+AND\s+`).Split(w[1], -1) {
			col := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(name) + `\.\w+`).FindString(part)
			if col == "" || regexp.MustCompile(`(?i)\bIS\s+(?:NOT\s+)?NULL\b`).MatchString(part) {
				continue
			}
			return col, strings.TrimSpace(part)
		}
	}
	return "", ""
}

// leftFilterNote explains a result with more rows than want when one of
// the learner's statements puts a filter in the ON of a LEFT JOIN (see
// [stmtlog.LeftJoinFilters]): it kept the rows the filter was to drop. It
// returns "" otherwise.
func (c *C) leftFilterNote(got, want any) string {
	g, ok := got.([]any)
	w, ok2 := want.([]any)
	if !ok || (!ok2 && want != nil) || len(g) <= len(w) {
		return ""
	}
	return leftFilterIn(c.log.Statements())
}

// leftFilterIn returns the note on the first statement of entries that
// filters in the ON of a LEFT JOIN, or "".
func leftFilterIn(entries []stmtlog.Entry) string {
	for _, e := range entries {
		if e.Kind != stmtlog.KindStatement {
			continue
		}
		if f := stmtlog.LeftJoinFilters(e.SQL); len(f) > 0 {
			return fmt.Sprintf("Statement %d has %s in the ON of a LEFT JOIN. A LEFT JOIN keeps every row of its left\n"+
				"side: where the ON is false it joins NULLs in place of the other table's columns, so that\n"+
				"condition drops no row. If it is to keep only the rows that meet it, put it in WHERE, or\n"+
				"join with an inner JOIN.", e.Seq, f[0])
		}
	}
	return ""
}
