package checker

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
	"workbook/internal/words"
)

// A change is what a check did to the data between two calls of the
// learner's code, as another request would: see [C.Swap].
type change struct {
	// what says it in the learner's terms: "expenses 57 and 212 swapped
	// their amount_cents (1875 and 4500)".
	what string
	// before holds the values Expect compared before the change: a later
	// result equal to one of them was kept, not read again.
	before []any
}

// Swap exchanges the values of column between two rows of table, between
// two calls of the learner's code, as another request might change them.
// The two rows are taken from the second half of the table (in rowid
// order), and
// differ in column and in each column of apart (the owner, the category):
// counts, sums, the largest id and every other figure a cache could be
// keyed on stay as they were, and only code that reads the rows again sees
// the change. It returns the two rows' rowids, smaller first.
//
// A result compared with [C.Expect] after the swap that equals one compared
// before it fails with that said: the learner's code kept what it read,
// however its cache was keyed and whatever statements it sent to look
// busy. A table without two such rows is the lesson's fault.
func (c *C) Swap(table, column string, apart ...string) (a, b int64) {
	return c.swap(table, column, "", nil, apart)
}

// swap is [C.Swap], with the first row also one for which the SQL
// condition of holds (its columns named bare, its ? bound to args), unless
// of is "".
func (c *C) swap(table, column, of string, args []any, apart []string) (a, b int64) {
	q := sqlite.QuoteIdent
	var pairs []struct {
		A, B   int64
		VA, VB any
	}
	c.Query(&pairs, swapPairs(table, column, of, apart)+" LIMIT 1", args...)
	if len(pairs) == 0 {
		c.stop1(protocol.KindBroken, fmt.Sprintf("checker: %s in %s has no two rows to swap their %s (they must differ in %s)",
			table, c.data, column, strings.Join(append([]string{column}, apart...), ", ")))
		return 0, 0
	}
	p := pairs[0]
	c.execAsLearner(fmt.Sprintf(`UPDATE %s SET %s = CASE rowid WHEN ? THEN ? ELSE ? END WHERE rowid IN (?, ?)`, q(table), q(column)),
		p.A, p.VB, p.VA, p.A, p.B)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changes = append(c.changes, change{
		what:   fmt.Sprintf("%s %d and %d swapped their %s (%v and %v)", table, p.A, p.B, column, showValue(p.VA), showValue(p.VB)),
		before: c.compared,
	})
	return p.A, p.B
}

// swapPairs is a query of the pairs of rows that swap may swap, in the
// order it takes them: rowids a and b, the values va and vb of column.
func swapPairs(table, column, of string, apart []string) string {
	q := sqlite.QuoteIdent
	differ := []string{"y." + q(column) + " <> x." + q(column)}
	for _, col := range apart {
		differ = append(differ, "y."+q(col)+" <> x."+q(col))
	}
	return fmt.Sprintf(`SELECT x.rowid AS a, y.rowid AS b, x.%[2]s AS va, y.%[2]s AS vb
		FROM %[1]s x JOIN %[1]s y ON y.rowid > x.rowid AND %[3]s
		WHERE %[4]s
		ORDER BY x.rowid, y.rowid`, q(table), q(column), strings.Join(differ, " AND "), firstOfSwap(q(table), of))
}

// varyContent makes ch's swap on db in one statement through the
// learner's pool, unlogged: the first row swap would take, with the row
// at offset n among the later ones that differ from it as swap asks. Made
// before each timed run of the learner's code, with the next n each time,
// it leaves no two runs the same content (see [Speed.Vary]). It finds the
// pair in one pass from that row, where swapPairs' join of the table with
// itself would take a second per thousand rows on a large set.
func varyContent(db *sqlx.DB, ch FreshChange, n int) error {
	q := sqlite.QuoteIdent
	cols := []string{q(ch.Column)}
	differ := []string{"y." + q(ch.Column) + " <> x.v0"}
	for i, col := range ch.Apart {
		cols = append(cols, q(col))
		differ = append(differ, fmt.Sprintf("y.%s <> x.v%d", q(col), i+1))
	}
	var picked []string
	for i, col := range cols {
		picked = append(picked, fmt.Sprintf("x.%s AS v%d", col, i))
	}
	stmt := fmt.Sprintf(`WITH x AS MATERIALIZED (SELECT x.rowid AS a, %[3]s FROM %[1]s x WHERE %[4]s ORDER BY x.rowid LIMIT 1),
		pair AS MATERIALIZED (SELECT x.a, y.rowid AS b, x.v0 AS va, y.%[2]s AS vb FROM x JOIN %[1]s y ON y.rowid > x.a AND %[5]s
			ORDER BY y.rowid LIMIT 1 OFFSET %[6]d)
		UPDATE %[1]s SET %[2]s = CASE rowid WHEN (SELECT a FROM pair) THEN (SELECT vb FROM pair) ELSE (SELECT va FROM pair) END
		WHERE rowid IN (SELECT a FROM pair UNION ALL SELECT b FROM pair)`,
		q(ch.Table), q(ch.Column), strings.Join(picked, ", "), firstOfSwap(q(ch.Table), ch.Of), strings.Join(differ, " AND "), n)
	res, err := db.ExecContext(stmtlog.Unlogged(context.Background()), stmt, ch.Args...)
	if err != nil {
		return err
	}
	if changed, err := res.RowsAffected(); err != nil || changed != 2 {
		return fmt.Errorf("no pair of rows %d to swap their %s in %s", n+1, ch.Column, ch.Table)
	}
	return nil
}

// execAsLearner runs a change of the check's own, not counted, through the
// learner's pool: on the connection their code used last, as a write of
// their own program would, so that no per-connection signal (PRAGMA
// data_version) gives the change away. An error stops the check as
// [C.Exec]'s does.
func (c *C) execAsLearner(query string, args ...any) {
	if _, err := c.DB().ExecContext(stmtlog.Unlogged(context.Background()), query, args...); err != nil {
		c.ownFailure(query, err)
	}
}

// firstOfSwap is the condition on the first row x of a swap in table:
// one of the second half of the table (in rowid order), or else one for
// which of holds.
func firstOfSwap(table, of string) string {
	if of != "" {
		return fmt.Sprintf("x.rowid IN (SELECT rowid FROM %s WHERE %s)", table, of)
	}
	return fmt.Sprintf("x.rowid >= (SELECT rowid FROM %[1]s ORDER BY rowid LIMIT 1 OFFSET (SELECT count(*) / 2 FROM %[1]s))", table)
}

// showValue writes a value read by a check's own query as SQLite would
// print it.
func showValue(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// remember keeps a value Expect compared, for a later run to tell a result
// kept from this one, and, when it was right, for a later change to tell a
// result that was kept from one read again. A wrong result is not kept for
// that: wrong code that reads afresh may give a wrong result twice, when
// the changes in between happen to cancel out in it.
func (c *C) remember(got any, right bool) {
	if right {
		c.mu.Lock()
		c.compared = append(c.compared, got)
		c.mu.Unlock()
	}
	c.cfg.returned.add(returnedResult{check: c.check.Name, data: c.data, value: got})
}

// returnedResults are the results the learner's code returned in the runs
// of this process so far, safe for concurrent use.
type returnedResults struct {
	mu   sync.Mutex
	list []returnedResult
}

// A returnedResult is one result the learner's code returned, compared by
// the check of that name on a copy of the data set.
type returnedResult struct {
	check, data string
	value       any
}

// maxReturned bounds how many earlier results a process keeps.
const maxReturned = 200

func (r *returnedResults) add(x returnedResult) {
	if isEmpty(x.value) {
		return // an empty result says nothing about where it came from
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.list) < maxReturned {
		r.list = append(r.list, x)
	}
}

// from returns an earlier result, on another data set, equal to got.
func (r *returnedResults) from(got any, data string, o rowdiff.Options) (returnedResult, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.list {
		if x.data != data && rowdiff.Compare(got, x.value, o) == nil {
			return x, true
		}
	}
	return returnedResult{}, false
}

// elsewhereNote explains a wrong result that is, row for row, what the
// learner's code returned in an earlier run on another data set: it was
// kept from that call, under a key that does not tell the two databases
// apart (the handle, which the checks keep from run to run, or PRAGMA
// data_version, which starts alike on every fresh connection), or one whose
// nested rows alone were kept so (see keptChildrenNote). It returns "" for
// any other result.
func (c *C) elsewhereNote(got, want any, o rowdiff.Options) string {
	if isEmpty(got) {
		return ""
	}
	x, ok := c.cfg.returned.from(got, c.data, o)
	if !ok {
		if why := c.keptChildrenNote(got, want); why != "" {
			return why
		}
		return c.keptParentsNote(got, want)
	}
	return fmt.Sprintf("This is, row for row, what %s returned in the run of %s on %s, another\n"+
		"database: it was kept from that call, not read from this one. Whatever the cache was keyed on\n"+
		"(the *sqlx.DB, which the checks keep from run to run, a count, PRAGMA data_version, which starts\n"+
		"alike on every fresh connection) did not tell the two apart. Read the rows each call.",
		c.callName(), x.check, x.data)
}

// keptChildrenNote explains a wrong result whose rows were read afresh but
// whose nested rows (each user's expenses) are, every one, rows of an
// earlier result on another data set, and not all rows of this one's: the
// children were kept from that call. It returns "" otherwise.
func (c *C) keptChildrenNote(got, want any) string {
	x, n, ok := c.keptFrom(got, want, func(v any, _ ...any) map[string]bool { return nestedRows(v) })
	if !ok {
		return ""
	}
	return fmt.Sprintf("The rows nested in this result (%d of them) are, every one, rows of what %s returned in the\n"+
		"run of %s on %s, another database: they were kept from that call, not read from this one,\n"+
		"though the rows around them were. Whatever the cache was keyed on (a count, PRAGMA\n"+
		"data_version, which starts alike on every fresh connection) did not tell the two apart. Read\n"+
		"them each call.", n, c.callName(), x.check, x.data)
}

// keptParentsNote explains a wrong result whose rows, their own fields
// without the lists nested in them, are every one rows of an earlier result
// on another data set, and not all rows of this one's: the rows were kept
// from that call (a package-level list of users filled once) while what
// hangs under them was read again. It returns "" otherwise.
func (c *C) keptParentsNote(got, want any) string {
	x, n, ok := c.keptFrom(got, want, ownRows)
	if !ok {
		return ""
	}
	return fmt.Sprintf("The rows of this result (%d of them), their own fields, are every one rows of what %s\n"+
		"returned in the run of %s on %s, another database: they were kept from that call (a\n"+
		"package-level list filled on the first call, say), not read from this one, though what hangs\n"+
		"under them was. Whatever decided to keep them did not tell the two databases apart. Read them\n"+
		"each call, and keep nothing between calls.", n, c.callName(), x.check, x.data)
}

// keptFrom finds an earlier result of the learner's code, on another data
// set, that holds every row of got where want does not: got's rows were
// kept from that call. rows gives the rows of v, marshaled, as they are
// compared with the results in others (see ownRows). It returns that
// result and how many rows got has.
func (c *C) keptFrom(got, want any, rows func(v any, others ...any) map[string]bool) (returnedResult, int, bool) {
	mine := rows(got, want)
	if len(mine) == 0 || allIn(mine, rows(want, got)) {
		return returnedResult{}, 0, false // every row belongs here: something else is wrong
	}
	c.cfg.returned.mu.Lock()
	earlier := append([]returnedResult(nil), c.cfg.returned.list...)
	c.cfg.returned.mu.Unlock()
	for _, x := range earlier {
		if x.data == c.data {
			continue
		}
		if mine := rows(got, want, x.value); allIn(mine, rows(x.value, got, want)) {
			return x, len(mine), true
		}
	}
	return returnedResult{}, 0, false
}

// allIn reports whether every key of a is in b.
func allIn(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// ownRows returns, marshaled, the rows of v (a list of rows, or one row)
// with only their own fields: a field that holds a list or an object in a
// row of v or of any of others (where an empty list may be null) is left
// out.
func ownRows(v any, others ...any) map[string]bool {
	nested := map[string]bool{}
	for _, x := range append([]any{v}, others...) {
		for _, obj := range topRows(x) {
			for k, f := range obj.Values {
				switch f.(type) {
				case []any, *rowdiff.Object:
					nested[k] = true
				}
			}
		}
	}
	out := map[string]bool{}
	for _, obj := range topRows(v) {
		own := &rowdiff.Object{Values: map[string]any{}}
		for _, k := range obj.Keys {
			if !nested[k] {
				own.Keys = append(own.Keys, k)
				own.Values[k] = obj.Values[k]
			}
		}
		if len(own.Keys) > 0 {
			out[string(rowdiff.Marshal(own))] = true
		}
	}
	return out
}

// topRows returns the rows of v: its objects when it is a list, or v
// itself when it is one.
func topRows(v any) []*rowdiff.Object {
	rows, ok := v.([]any)
	if !ok {
		rows = []any{v}
	}
	var out []*rowdiff.Object
	for _, r := range rows {
		if obj, ok := r.(*rowdiff.Object); ok {
			out = append(out, obj)
		}
	}
	return out
}

// nestedRows returns, marshaled, the objects held in lists inside the rows
// of v (a list of rows), at any depth below the top.
func nestedRows(v any) map[string]bool {
	out := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e, depth+1)
			}
		case *rowdiff.Object:
			if depth > 1 {
				out[string(rowdiff.Marshal(v))] = true
			}
			for _, k := range v.Keys {
				walk(v.Values[k], depth)
			}
		}
	}
	walk(v, 0)
	return out
}

// staleNote explains a result, compared after a change the check made,
// that equals one the learner's code returned before it: what it returned
// was kept, not read again. It returns "" when the check changed nothing or
// the result differs from every earlier one.
func (c *C) staleNote(got any, o rowdiff.Options) string {
	c.mu.Lock()
	changes := c.changes
	c.mu.Unlock()
	for i := len(changes) - 1; i >= 0; i-- {
		for _, before := range changes[i].before {
			if rowdiff.Compare(got, before, o) != nil {
				continue
			}
			return fmt.Sprintf("Between two calls the check changed the data, as another request may: %s.\n"+
				"%s returned the same %s after the change as before it: they did not come from the data as it\n"+
				"is now. They were kept from the first call, however it was keyed (a count, the largest id, a\n"+
				"sum of the column, PRAGMA data_version, which the change made on the connection your code\n"+
				"used last: none of them moved), or written into the code, whatever it asked the\n"+
				"database to look busy. A result is a reading of the database now: compute it on each call,\n"+
				"and keep nothing between calls.",
				changes[i].what, c.callName(), words.Plural(nounOf(o)))
		}
	}
	return ""
}
