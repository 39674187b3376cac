package checker

import (
	"fmt"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// ExpectStatementCount compares how many statements the code under check has
// run on this data set so far with predicted, a count the learner wrote down
// before running it. who names the code that ran them, such as
// `CategoryTotals(db, "bob@example.com")`. On a miss it says by how much the
// prediction was off and lists the statements that ran, grouped by shape
// when a shape repeats, so that the learner can see which one they did not
// expect. It reports whether the count was right; the check goes on either
// way.
func (c *C) ExpectStatementCount(predicted int, who string) bool {
	ran := c.log.Count()
	if ran == predicted {
		return true
	}
	off, by := "low", ran-predicted
	if by < 0 {
		off, by = "high", -by
	}
	var b strings.Builder
	ranWords := protocol.Count(ran) + " statements"
	if ran == 1 {
		ranWords = "1 statement"
	}
	fmt.Fprintf(&b, "%s ran %s, not %s as predicted: the prediction is %s too %s.\n",
		who, ranWords, protocol.Count(predicted), protocol.Count(by), off)
	if entries := c.log.Entries(); len(entries) > 0 {
		b.WriteString("The statements it ran:\n")
		b.WriteString(stmtlog.Listing(entries, listHead, listTail, "  "))
		if d := c.log.Dropped(); d > 0 {
			fmt.Fprintf(&b, "  (%d more were counted but not kept)\n", d)
		}
		b.WriteString(byShape(entries, c.cfg.sites()))
	}
	c.fail(protocol.KindResult, strings.TrimRight(b.String(), "\n"))
	return false
}
