package checker

import (
	"fmt"
	"strconv"
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
// expect, and then the statements a count like the prediction leaves out
// (when it is too low) or counts that never ran (when it is too high). It
// reports whether the count was right; the check goes on either way.
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
		if why := missReasons(entries, ran > predicted); why != "" {
			b.WriteString(why)
		}
	}
	c.fail(protocol.KindResult, strings.TrimRight(b.String(), "\n"))
	return false
}

// missReasons explains a miscount by the statements that ran: when low is
// true, the ones a prediction that is too low leaves out (a query that
// found nothing, the rounds of a loop); otherwise the ones a prediction
// that is too high counts but that never ran (rounds a loop answered
// without asking, a loop over no rows, transaction control). It returns ""
// when the log shows none of them.
func missReasons(entries []stmtlog.Entry, low bool) string {
	var reasons []string
	perRow := map[int]bool{} // parents a later shape ran once a row for
	for _, g := range stmtlog.Groups(entries) {
		first := entryBySeq(entries, g.Seqs[0])
		parent, ok := parentQuery(entries, first, g.Shape)
		if !ok || parent.Rows == 0 || len(g.Seqs) < 2 || !g.Varied {
			continue
		}
		perRow[parent.Seq] = true
		runs, rows := len(g.Seqs), int(parent.Rows)
		which := "statement " + strconv.Itoa(g.Seqs[0])
		if runs > 1 {
			which = "statements " + seqRange(g.Seqs)
		}
		switch {
		case low && runs > 1:
			reasons = append(reasons, fmt.Sprintf("%s ran %s, in the loop over the %s statement %d returned:\n"+
				"  each round that asks the database is a statement of its own.",
				which, times(runs), protocol.Counted(rows, "row"), parent.Seq))
		case !low && runs < rows:
			reasons = append(reasons, fmt.Sprintf("%s ran %s for the %s statement %d returned, not %s:\n"+
				"  %s answered without a statement (from values the code had already loaded).",
				which, times(runs), protocol.Counted(rows, "row"), parent.Seq, times(rows),
				rowsWere(rows-runs)))
		}
	}
	tx := 0
	for _, e := range entries {
		switch {
		case e.Kind != stmtlog.KindStatement:
			tx++
		case e.Query && e.Rows == 0 && low:
			reasons = append(reasons, fmt.Sprintf("statement %d found no rows, and counts all the same: a statement is counted when it\n"+
				"  runs, whatever it returns.", e.Seq))
		case e.Query && e.Rows == 0 && !low && !perRow[e.Seq] && e.Err == "":
			reasons = append(reasons, fmt.Sprintf("statement %d found no rows, so nothing ran for each of its rows.", e.Seq))
		}
	}
	if !low && tx > 0 {
		reasons = append(reasons, "BEGIN, COMMIT and ROLLBACK are listed but not counted: only the statements are.")
	}
	if len(reasons) == 0 {
		return ""
	}
	var b strings.Builder
	if low {
		b.WriteString("What a count that is too low usually leaves out:\n")
	} else {
		b.WriteString("What a count that is too high usually counts that never ran:\n")
	}
	for _, r := range reasons {
		r = strings.ReplaceAll(r, "\n  ", "\n    ")
		b.WriteString("  - " + strings.ToUpper(r[:1]) + r[1:] + "\n")
	}
	return b.String()
}

func entryBySeq(entries []stmtlog.Entry, seq int) stmtlog.Entry {
	for _, e := range entries {
		if e.Seq == seq {
			return e
		}
	}
	return stmtlog.Entry{Seq: seq}
}

// times writes a number of times: once, twice, 3 times.
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return protocol.Count(n) + " times"
}

func rowsWere(n int) string {
	if n == 1 {
		return "the other row was"
	}
	return "the other " + protocol.Count(n) + " rows were"
}
