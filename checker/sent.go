package checker

import (
	"fmt"

	"workbook/internal/protocol"
)

// ExpectRowsSent fails the check when the learner's code asked the
// database one query and it sent more rows than the returned rows the
// result holds: the work the lesson asks the database to do (remove the
// repeats a join made, add up a group's rows) was done in Go, on rows that
// crossed over for nothing. call is the learner's call and noun one
// returned row ("account"), for the message; advice says how to ask the
// database for just those rows. Rows from several queries are the
// budget's to explain, not this.
func (c *C) ExpectRowsSent(returned int, call, noun, advice string) {
	var rows int64
	queries := 0
	for _, s := range c.Statements() {
		if s.Query {
			rows += s.Rows
			queries++
		}
	}
	if queries != 1 || rows <= int64(returned) {
		return
	}
	c.fail(protocol.KindResult, fmt.Sprintf("%s returned %s, but the database sent your code %s for them.\n%s",
		call, protocol.Counted(returned, noun), protocol.Counted(int(rows), "row"), indent(advice, "  ")))
}
