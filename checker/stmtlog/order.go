package stmtlog

import (
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"sync/atomic"

	"github.com/mattn/go-sqlite3"
)

// An order a query leaves open is whatever order SQLite reads its rows in:
// the rows of a query without ORDER BY, and the rows that tie on every term
// of an ORDER BY. On small, tidy data that order is nearly always the one a
// lesson asks for (id order, or a GROUP BY's sorted groups), so code that
// relies on it passes by luck. A [Log] with OpenOrdersReversed set turns
// every such order round, for the learner's queries on its connections:
//
//   - a SELECT with no ORDER BY of its own (outside parentheses) hands back
//     its rows last first;
//   - a SELECT with one gets a last ORDER BY term, [TieBreak]() DESC, that
//     numbers the rows in the order SQLite meets them and so puts the rows
//     that tie on every term of the learner's in the other order.
//
// Both are orders SQLite could give: without ORDER BY the order is
// undefined, and an ORDER BY says nothing about the order of its ties. A
// query whose order is fully decided returns the same rows in the same
// order either way. The entry keeps the learner's own text.

// TieBreak is the SQL function, registered on every connection by
// [RegisterTieBreak], that the reversed open orders append to an ORDER BY.
// Each call returns a larger number than the one before.
const TieBreak = "workbook_tie_break"

// RegisterTieBreak registers [TieBreak] on a connection.
func RegisterTieBreak(sc *sqlite3.SQLiteConn) error {
	var n atomic.Int64
	return sc.RegisterFunc(TieBreak, func() int64 { return n.Add(1) }, false)
}

// openOrder says how a statement leaves its order open.
type openOrder struct {
	// query reports that the statement is a SELECT (or WITH … SELECT, or
	// VALUES): one whose rows are its answer.
	query bool
	// orderBy reports a top-level ORDER BY, one outside parentheses.
	orderBy bool
	// byRowid reports a top-level ORDER BY that names a rowid (rowid,
	// oid, _rowid_): the order rows were stored in, which only a copy
	// stored in another order can tell from a key.
	byRowid bool
	// compound reports a UNION, INTERSECT or EXCEPT at the top level,
	// whose ORDER BY may name only result columns.
	compound bool
	// at is where a last ORDER BY term goes: just after the ORDER BY's
	// last token, before a top-level LIMIT or the end of the statement.
	at int
	// limit is where what follows a top-level LIMIT starts, or 0.
	limit int
	// table is the first table (or view, or common table expression) a
	// top-level FROM, INTO or UPDATE names, as written; "" when none does.
	table string
}

// scanOrder reads how query leaves its order open. It knows SQLite's
// string literals, quoted names, comments and parentheses, and nothing of
// the grammar beyond a handful of keywords.
func scanOrder(query string) openOrder {
	var o openOrder
	depth, first, limitAt, end := 0, "", -1, 0
	prev := "" // the last top-level word
	s := query
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			j := quotedEnd(s, i)
			if depth == 0 && c != '\'' {
				if (prev == "FROM" || prev == "INTO" || prev == "UPDATE") && o.table == "" {
					o.table = s[i+1 : min(j, len(s))]
				}
				prev = ""
			}
			i = min(j+1, len(s))
			end = i
		case isCommentStart(s, i):
			i = commentEnd(s, i)
		case c == '(':
			if depth == 0 {
				prev = "" // FROM (SELECT …) names no table of its own
			}
			depth++
			i++
			end = i
		case c == ')':
			depth--
			i++
			end = i
		case isSpace(c):
			i++
		case c == ';':
			i++
		case isWordByte(c):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] >= 0x80) {
				j++
			}
			word := strings.ToUpper(s[i:j])
			if depth == 0 {
				if first == "" {
					first = word
				}
				switch word {
				case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "PRAGMA":
					if first == "WITH" {
						first = word // WITH … DELETE, and the like
					}
				case "BY":
					if prev == "ORDER" {
						o.orderBy, limitAt, o.byRowid = true, -1, false
					}
				case "ROWID", "OID", "_ROWID_":
					if o.orderBy && limitAt < 0 {
						o.byRowid = true
					}
				case "LIMIT":
					if o.orderBy && limitAt < 0 {
						limitAt = end
					}
					o.limit = j
				case "UNION", "INTERSECT", "EXCEPT":
					o.compound = true
				}
				switch prev {
				case "FROM", "INTO", "UPDATE":
					if o.table == "" {
						o.table = s[i:j]
					}
				}
				prev = word
			}
			i = j
			end = i
		default:
			if depth == 0 {
				prev = ""
			}
			i++
			end = i
		}
	}
	switch first {
	case "SELECT", "WITH", "VALUES":
		o.query = true
	}
	o.at = end
	if limitAt >= 0 {
		o.at = limitAt
	}
	return o
}

// OrderedAtTop reports whether query has an ORDER BY of its own, outside
// parentheses: one that orders its result, not a subquery's, a common
// table expression's or a window's rows.
func OrderedAtTop(query string) bool { return scanOrder(query).orderBy }

// TopTable returns the first table a statement's top level reads or
// writes: the one its first FROM, INTO or UPDATE outside parentheses
// names ("expenses" for SELECT … (SELECT name FROM users …) FROM expenses
// e), or "" when it names none there.
func TopTable(query string) string { return scanOrder(query).table }

// TopLimit returns what follows the LIMIT of a SELECT outside
// parentheses ("5", "?", "10 OFFSET 20"), without a closing semicolon, and
// whether it has one. A LIMIT inside a subquery is not the statement's.
func TopLimit(query string) (string, bool) {
	o := scanOrder(query)
	if !o.query || o.limit == 0 {
		return "", false
	}
	return strings.TrimSpace(strings.TrimRight(query[o.limit:], "; \t\r\n")), true
}

// adversary returns the text to run for query and whether its rows are to
// be handed back in reverse: query itself and false unless l reverses open
// orders.
func (l *Log) adversary(query string) (run string, reverse bool) {
	if l == nil || !l.OpenOrdersReversed {
		return query, false
	}
	o := scanOrder(query)
	if !o.query {
		return query, false
	}
	if turned, ok := turnAggregates(query); ok {
		if !o.orderBy {
			return turned, true
		}
		query = turned
		o = scanOrder(query)
	}
	if o.byRowid {
		// Turned round or not, its ties are none: the rows come in the
		// order they were stored in, which the reordered copy changes.
		l.noteUnreversed()
	}
	switch {
	case !o.orderBy:
		return query, true
	case o.compound:
		l.noteUnreversed()
		return query, false
	}
	term := ", " + TieBreak + "() DESC"
	if o.at < len(query) && isWordByte(query[o.at]) {
		term += " "
	}
	return query[:o.at] + term + query[o.at:], false
}

func (l *Log) noteUnreversed() {
	l.mu.Lock()
	l.unreversed++
	l.mu.Unlock()
}

// Unreversed returns how many of the log's queries had an open order that
// [Log.OpenOrdersReversed] could not turn round: the ORDER BY of a
// compound SELECT, which may name only result columns, one SQLite would
// not take with the last term added, or one that orders by a rowid, the
// order the rows were stored in.
func (l *Log) Unreversed() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.unreversed
}

// reversedRows hands back the rows of the rows underneath last first. It
// reads them all at the first call of Next.
type reversedRows struct {
	driver.Rows
	read bool
	buf  [][]driver.Value
	err  error // the error that ended the reading, after the rows read
}

func (r *reversedRows) Next(dest []driver.Value) error {
	if !r.read {
		r.read = true
		for {
			row := make([]driver.Value, len(dest))
			err := r.Rows.Next(row)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				r.err = err
				break
			}
			for i, v := range row {
				if b, ok := v.([]byte); ok {
					row[i] = append([]byte(nil), b...)
				}
			}
			r.buf = append(r.buf, row)
		}
	}
	if n := len(r.buf); n > 0 {
		copy(dest, r.buf[n-1])
		r.buf = r.buf[:n-1]
		return nil
	}
	if r.err != nil {
		return r.err
	}
	return io.EOF
}

// orderedAggregates are the aggregate functions whose result depends on the
// order of the rows they gather: each joins its values in the order it
// meets them, unless its own ORDER BY says otherwise.
var orderedAggregates = map[string]bool{
	"GROUP_CONCAT": true, "STRING_AGG": true, "JSON_GROUP_ARRAY": true, "JSONB_GROUP_ARRAY": true,
	"JSON_GROUP_OBJECT": true, "JSONB_GROUP_OBJECT": true,
}

// turnAggregates returns query with every call of an ordered aggregate
// given a last ORDER BY term, [TieBreak]() DESC, inside its parentheses
// (after its own ORDER BY, or as one), so that the values it gathers in
// an order it leaves open come in the other order; and whether it changed
// anything. It knows string literals, quoted names and comments.
func turnAggregates(query string) (string, bool) {
	type call struct {
		orderBy bool // an ORDER BY at its own depth
	}
	var b strings.Builder
	var stack []*call // the parentheses open; nil for those of no aggregate
	var depthWord []string
	changed := false
	last := 0  // what of query is written to b
	word := "" // the last word met
	s := query
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			j := quotedEnd(s, i)
			i, word = min(j+1, len(s)), ""
		case isCommentStart(s, i):
			i = commentEnd(s, i)
		case c == '(':
			var cl *call
			if orderedAggregates[word] {
				cl = &call{}
			}
			stack = append(stack, cl)
			depthWord = append(depthWord, "")
			i, word = i+1, ""
		case c == ')':
			if n := len(stack); n > 0 {
				if cl := stack[n-1]; cl != nil {
					term := " ORDER BY " + TieBreak + "() DESC"
					if cl.orderBy {
						term = ", " + TieBreak + "() DESC"
					}
					b.WriteString(s[last:i])
					b.WriteString(term)
					last, changed = i, true
				}
				stack, depthWord = stack[:n-1], depthWord[:n-1]
			}
			i, word = i+1, ""
		case isWordByte(c):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] >= 0x80) {
				j++
			}
			w := strings.ToUpper(s[i:j])
			if n := len(stack); n > 0 {
				if w == "BY" && depthWord[n-1] == "ORDER" && stack[n-1] != nil {
					stack[n-1].orderBy = true
				}
				depthWord[n-1] = w
			}
			i, word = j, w
		default:
			if !isSpace(c) {
				word = ""
			}
			i++
		}
	}
	if !changed {
		return query, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// quotedEnd returns the offset of the character that closes the string
// literal or quoted name opening at s[i] (', ", ` or [), or len(s) when
// nothing closes it. A doubled quote inside is part of it.
func quotedEnd(s string, i int) int {
	closer := s[i]
	if closer == '[' {
		closer = ']'
	}
	j := i + 1
	for j < len(s) {
		if s[j] == closer {
			if closer != ']' && j+1 < len(s) && s[j+1] == closer {
				j += 2
				continue
			}
			break
		}
		j++
	}
	return j
}

// isCommentStart reports whether a comment (-- or /*) begins at s[i].
func isCommentStart(s string, i int) bool {
	return i+1 < len(s) && (s[i] == '-' && s[i+1] == '-' || s[i] == '/' && s[i+1] == '*')
}

// commentEnd returns the offset just past the comment that begins at s[i]:
// the end of the line for --, the closing */ for /*.
func commentEnd(s string, i int) int {
	if s[i] == '-' {
		for i < len(s) && s[i] != '\n' {
			i++
		}
		return i
	}
	if j := strings.Index(s[i+2:], "*/"); j >= 0 {
		return i + j + 4
	}
	return len(s)
}
