package stmtlog

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"workbook/internal/protocol"
)

// FormatValue writes an argument the way SQL would spell it: NULL, numbers as
// they are, text in single quotes, and bytes as a blob literal.
func FormatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		// A long text (a JSON array of 40,000 ids for json_each) is cut,
		// as a long blob is: its start says what it is.
		const max = 120
		if r := []rune(v); len(r) > max {
			return "'" + strings.ReplaceAll(string(r[:max-20]), "'", "''") + fmt.Sprintf("…' (%s characters)", protocol.Count(len(r)))
		}
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []byte:
		const max = 16
		if len(v) > max {
			return fmt.Sprintf("x'%x…' (%d bytes)", v[:max], len(v))
		}
		return fmt.Sprintf("x'%x'", v)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// maxSQLWidth is where a listing cuts long SQL text.
const maxSQLWidth = 110

// Line formats e as one line of a listing: its number, its SQL with white
// space folded, its arguments, and what it returned.
func (e Entry) Line() string { return e.line(0) }

// line is Line with the number right-aligned in width columns.
func (e Entry) line(width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%*d. ", width, e.Seq)
	if e.Kind != KindStatement && strings.EqualFold(firstWord(e.SQL), e.Kind.String()) {
		b.WriteString(e.Kind.String())
	} else {
		b.WriteString(Shorten(e.SQL, maxSQLWidth))
	}
	if len(e.Args) > 0 {
		b.WriteString("  [")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			if i == 8 {
				fmt.Fprintf(&b, "… %d more", len(e.Args)-i)
				break
			}
			b.WriteString(FormatValue(a))
		}
		b.WriteString("]")
	}
	if r := e.Result(); r != "" {
		b.WriteString("  → " + r)
	}
	return b.String()
}

// Result says what an execution gave back: "3 rows", "1 row changed" or
// "error: …"; "" for transaction control and statements that change no rows
// (CREATE TABLE, a PRAGMA).
func (e Entry) Result() string {
	switch {
	case e.Err != "":
		return "error: " + e.Err
	case e.Kind != KindStatement:
		return ""
	case e.Query:
		return protocol.Counted(int(e.Rows), "row")
	case changesRows(e.SQL):
		return protocol.Counted(int(e.Rows), "row") + " changed"
	}
	return ""
}

// Listing formats entries one per line, each indented by indent. When there
// are more than head+tail entries, the middle is replaced by a line saying how
// many were left out.
func Listing(entries []Entry, head, tail int, indent string) string {
	var b strings.Builder
	width := 0
	if len(entries) > 0 {
		width = len(fmt.Sprint(entries[len(entries)-1].Seq))
	}
	write := func(e Entry) { b.WriteString(indent + e.line(width) + "\n") }
	if len(entries) <= head+tail+1 {
		for _, e := range entries {
			write(e)
		}
		return b.String()
	}
	for _, e := range entries[:head] {
		write(e)
	}
	fmt.Fprintf(&b, "%s%*s  … %d more …\n", indent, width, "", len(entries)-head-tail)
	for _, e := range entries[len(entries)-tail:] {
		write(e)
	}
	return b.String()
}

// Shorten folds the white space of a statement and cuts it to width runes,
// taking the cut from the middle: the start says what a statement reads, the
// end (its WHERE) what tells one execution from another.
func Shorten(s string, width int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	head := width * 2 / 5
	tail := width - head - 3
	return string(r[:head]) + " … " + string(r[len(r)-tail:])
}

// changesRows reports whether a statement is one whose count of changed rows
// means something (SQLite reports the last such count for any other).
func changesRows(query string) bool {
	switch strings.ToUpper(firstWord(query)) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH":
		return true
	}
	return false
}
