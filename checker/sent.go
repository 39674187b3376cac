package checker

import (
	"fmt"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// ExpectRowsSent fails the check when the learner's code asked the
// database one query and it sent more rows than the returned rows the
// result holds: the work the lesson asks the database to do (remove the
// repeats a join made, add up a group's rows) was done in Go, on rows that
// crossed over for nothing. call is the learner's call and noun one
// returned row ("account"), for the message; advice says how to ask the
// database for just those rows, for the cause the lesson teaches. Where the
// query shows another cause, the message gives that one instead: a LEFT
// JOIN's rows of NULLs for a parent without children, or a query with no
// argument at all, whose rows Go chose among. Rows from several queries
// are the budget's to explain, not this.
func (c *C) ExpectRowsSent(returned int, call, noun, advice string) {
	if msg := rowsSentNote(c.Statements(), returned, call, noun, advice); msg != "" {
		c.fail(protocol.KindResult, msg)
	}
}

// rowsSentNote explains, for [C.ExpectRowsSent], entries whose one query
// sent more rows than the returned ones, or returns "".
func rowsSentNote(entries []stmtlog.Entry, returned int, call, noun, advice string) string {
	rows, queries, query := rowsRead(entries)
	if queries != 1 || rows <= int64(returned) {
		return ""
	}
	return fmt.Sprintf("%s returned %s, but the database sent your code %s for them.\n%s",
		call, protocol.Counted(returned, noun), protocol.Counted(int(rows), "row"), indent(sentCause(query, returned, advice), "  "))
}

// sentCause explains why query sent more rows than the returned ones: by
// what the query shows, or else by the lesson's advice. Rows sent for an
// answer of none, by a LEFT JOIN, are its rows of NULLs.
func sentCause(query stmtlog.Entry, returned int, advice string) string {
	switch {
	case returned == 0 && leftJoin.MatchString(query.SQL):
		return fmt.Sprintf("Statement %d has a LEFT JOIN, which sends a row of NULLs for %s, and\n"+
			"your Go code left such rows out (or stopped at the first, if scanning its NULLs failed: an\n"+
			"error of Scan or Select must be returned, never dropped). Ask only for the rows you return: an\n"+
			"inner JOIN, or a condition on the joined table (HAVING count(e.id) > 0, say).\n"+
			"(The lesson's own advice, for the other cause: %s)",
			query.Seq, joinExample(query.SQL, true), strings.Join(strings.Fields(advice), " "))
	case len(query.Args) == 0:
		return fmt.Sprintf("Statement %d has no argument at all: it asks for the rows of every case, not of the\n"+
			"one the call asks about, and your Go code chose among them. Put the condition in the\n"+
			"statement (a WHERE that compares with a ?, the call's value bound to it), so the database\n"+
			"sends only the rows you return.", query.Seq)
	}
	return advice
}

// ExpectRowsReadAtMost fails the check when the learner's queries, all
// together, sent more rows than most, the rows the result is made of (a
// user and their expenses): rows the code read to throw away in Go, which
// a WHERE would have left in the database. call is the learner's call,
// what says in words what the most rows are, and advice how to ask for
// just those.
func (c *C) ExpectRowsReadAtMost(most int, call, what, advice string) {
	rows, _, biggest := rowsRead(c.Statements())
	if rows <= int64(most) {
		return
	}
	c.fail(protocol.KindResult, fmt.Sprintf("%s read %s from the database to return %s (%s).\n"+
		"  Statement %d alone sent %s:\n    %s\n%s", call, protocol.Counted(int(rows), "row"), protocol.Counted(most, "row"), what,
		biggest.Seq, protocol.Counted(int(biggest.Rows), "row"), stmtlog.Shorten(strings.Join(strings.Fields(biggest.SQL), " "), 110),
		indent(advice, "  ")))
}

// rowsRead sums the rows the queries among entries sent, and returns the
// sum, how many queries there were and the first that sent the most.
func rowsRead(entries []stmtlog.Entry) (rows int64, queries int, biggest stmtlog.Entry) {
	for _, s := range entries {
		if !s.Query {
			continue
		}
		rows += s.Rows
		queries++
		if queries == 1 || s.Rows > biggest.Rows {
			biggest = s
		}
	}
	return rows, queries, biggest
}
