package checker

import (
	"fmt"
	"regexp"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// Listing bounds: how many statements to show at the start and the end of
// a long list.
const (
	listHead = 6
	listTail = 3
)

// explainBudget explains a run that went over its statement budget: how many
// ran against how many were allowed, the statements (the middle of a long
// list elided), and what repeated.
// where places the statements in the learner's code (nil: nowhere).
// said states the budget, when it is more than the figure ("1 + ⌈40,000 /
// 500⌉ = 81"); "" says the figure.
func explainBudget(entries []stmtlog.Entry, count, budget int, said string, outputOK bool, dropped int, where *sites) string {
	var b strings.Builder
	allowed := budget
	if said == "" {
		said = protocol.Count(budget)
	} else {
		allowed = 0 // a budget that grows with the data allows batches: see repeats
	}
	if outputOK {
		fmt.Fprintf(&b, "The result is right, but your code ran %s statements; the budget is %s.\n", protocol.Count(count), said)
	} else {
		fmt.Fprintf(&b, "Your code also ran %s statements; the budget is %s.\n", protocol.Count(count), said)
	}
	for _, e := range entries {
		if e.Kind != stmtlog.KindStatement {
			b.WriteString("  (Numbered with them below, BEGIN, COMMIT and ROLLBACK are not counted.)\n")
			break
		}
	}
	b.WriteString(stmtlog.Listing(entries, listHead, listTail, "  "))
	if dropped > 0 {
		fmt.Fprintf(&b, "  (%d more were counted but not kept)\n", dropped)
	}
	if shapes := byShape(entries, where); shapes != "" {
		b.WriteString(shapes)
	} else {
		b.WriteString(sentFrom(entries, where))
	}
	b.WriteString(batches(entries, where))
	for _, r := range repeats(entries, where, allowed) {
		b.WriteString(r)
	}
	return strings.TrimRight(b.String(), "\n")
}

// batches says which statements were sent together, as one text of
// several in one call of Exec: each counts, since SQLite runs them one at
// a time, whatever the Go code looks like.
func batches(entries []stmtlog.Entry, where *sites) string {
	var b strings.Builder
	seqs := map[int][]int{}
	var firsts []int
	for _, e := range entries {
		if e.Kind != stmtlog.KindStatement || e.Batch == 0 {
			continue
		}
		if seqs[e.Batch] == nil {
			firsts = append(firsts, e.Batch)
		}
		seqs[e.Batch] = append(seqs[e.Batch], e.Seq)
	}
	for _, first := range firsts {
		from := ""
		if site := where.ofSeq(entries, first); site != nil {
			from = " from " + site.Where()
		}
		fmt.Fprintf(&b, "Statements %s were one text of %d statements, sent in one call%s: SQLite runs\n"+
			"  such a text one statement at a time, and each one counts. One call is not one statement:\n"+
			"  write one statement that does their work (one DELETE … WHERE id IN (…) for many rows).\n",
			seqRange(seqs[first]), len(seqs[first]), from)
	}
	return b.String()
}

// inOneBatch reports whether every statement of seqs was sent in the same
// text of several (see [batches]).
func inOneBatch(seqs []int, bySeq map[int]stmtlog.Entry) bool {
	batch := bySeq[seqs[0]].Batch
	for _, seq := range seqs {
		if bySeq[seq].Batch != batch {
			return false
		}
	}
	return batch != 0
}

// mostArgs returns the most arguments any of the statements seqs took.
func mostArgs(seqs []int, bySeq map[int]stmtlog.Entry) int {
	most := 0
	for _, seq := range seqs {
		most = max(most, len(bySeq[seq].Args))
	}
	return most
}

// sentFrom says where in the learner's code each statement was sent from,
// when no shape repeated (byShape says it then): one line per place.
func sentFrom(entries []stmtlog.Entry, where *sites) string {
	var b strings.Builder
	seen := map[string]bool{}
	lines := 0
	for _, e := range entries {
		if e.Kind != stmtlog.KindStatement {
			continue
		}
		site := where.of(e)
		if site == nil || seen[site.String()] {
			continue
		}
		seen[site.String()] = true
		if lines == 0 {
			b.WriteString("Sent from:\n")
		}
		if lines++; lines > listHead {
			b.WriteString("  …\n")
			break
		}
		fmt.Fprintf(&b, "  statement %d: %s\n", e.Seq, site)
	}
	return b.String()
}

// byShape groups the statements by shape (the same SQL with other values),
// when some shape ran more than once, each with the place in the learner's
// code that sent it.
func byShape(entries []stmtlog.Entry, where *sites) string {
	groups := stmtlog.Groups(entries)
	repeated := false
	for _, g := range groups {
		repeated = repeated || len(g.Seqs) > 1
	}
	if !repeated {
		return ""
	}
	var b strings.Builder
	b.WriteString("By shape (the same SQL with other values):\n")
	for _, g := range groups {
		which := fmt.Sprintf("statement %d", g.Seqs[0])
		if n := len(g.Seqs); n > 1 {
			which = fmt.Sprintf("statements %s", seqRange(g.Seqs))
		}
		fmt.Fprintf(&b, "  %6s×  %s  (%s)\n", protocol.Count(len(g.Seqs)), stmtlog.Shorten(g.Shape, 110), which)
		if site := where.ofSeq(entries, g.Seqs[0]); site != nil {
			fmt.Fprintf(&b, "           sent from %s\n", site.Where())
		}
	}
	return b.String()
}

// seqRange writes statement numbers briefly: "2–11" for a run, "2, 5, 9"
// for a few, "2, 5, … 40" for many.
func seqRange(seqs []int) string {
	contiguous := true
	for i := 1; i < len(seqs); i++ {
		contiguous = contiguous && seqs[i] == seqs[i-1]+1
	}
	if contiguous {
		return fmt.Sprintf("%d–%d", seqs[0], seqs[len(seqs)-1])
	}
	if len(seqs) <= 4 {
		parts := make([]string, len(seqs))
		for i, s := range seqs {
			parts[i] = fmt.Sprint(s)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%d, %d, … %d", seqs[0], seqs[1], seqs[len(seqs)-1])
}

// repeats describes each statement shape that ran three times or more:
// the same values again, a loop of the learner's that runs one statement
// per row (an N+1), or a statement the learner's function runs once and
// the check called the function many times; each with a fix that fits
// within budget. A budget of 0 is one that grows with the data
// ([PerRows]): batches are allowed there, and its own note says how large.
func repeats(entries []stmtlog.Entry, where *sites, budget int) []string {
	bySeq := map[int]stmtlog.Entry{}
	for _, e := range entries {
		bySeq[e.Seq] = e
	}
	var out []string
	perCallOf := map[string]bool{} // functions already described by perCall
	for _, g := range stmtlog.Groups(entries) {
		n := len(g.Seqs)
		if n < 3 {
			continue
		}
		first := bySeq[g.Seqs[0]]
		if inOneBatch(g.Seqs, bySeq) {
			continue // one call sent them all: batches says so
		}
		if up := strings.ToUpper(g.Shape); !g.Varied && strings.HasPrefix(up, "PRAGMA") && !strings.Contains(up, "FOREIGN_KEYS") {
			// A setting, not a reading (foreign_keys is lesson 1's to set
			// on each connection).
			out = append(out, fmt.Sprintf("Statement %d ran %d times with the same values:\n    %s\n"+
				"  A PRAGMA changes how the connection behaves, not what the data holds: it is not the\n"+
				"  work of a query function, and the checks set up each connection as the lesson needs it\n"+
				"  (they turn round every order a query leaves open, PRAGMA or not). Remove it, and say in\n"+
				"  the query what you need (an ORDER BY for an order).\n", first.Seq, n, g.Shape))
			continue
		}
		if !g.Varied {
			out = append(out, fmt.Sprintf("Statement %d ran %d times with the same values:\n    %s\n"+
				"  Run it once and keep the result.\n", first.Seq, n, g.Shape))
			continue
		}
		var b strings.Builder
		site := where.of(first)
		if site != nil && site.Loop == "" && funcLiteral.MatchString(site.Function) {
			// A function literal runs once per row when the learner's
			// code starts it per row (a goroutine, a callback): the
			// check did not call it.
			per := "once per row"
			if len(first.Args) > 1 {
				per = fmt.Sprintf("once per batch of about %d values", len(first.Args))
			}
			out = append(out, fmt.Sprintf("Statement %d ran %s times with other values, once in each run of %s:\n    %s\n"+
				"  It is sent from %s,\n"+
				"  a function literal your code starts %s (a goroutine, or a callback): the N+1\n"+
				"  pattern, side by side, and the count still grows with the data. Fetch what every run\n"+
				"  needs in one statement instead (SQLite takes up to 32,766 values in one IN list).\n",
				first.Seq, protocol.Count(n), site.Function, g.Shape, site.Where(), per))
			continue
		}
		if site != nil && site.Loop == "" {
			if !perCallOf[site.Function] {
				perCallOf[site.Function] = true
				out = append(out, perCall(entries, first, g, n, site))
			}
			continue
		}
		parent, ok := parentQuery(entries, first, g.Shape)
		if most := mostArgs(g.Seqs, bySeq); most > 1 && strings.Contains(g.Shape, "IN (...)") {
			// Each run takes a list: batches of a fixed size, not a row each.
			fmt.Fprintf(&b, "Batches: statement %d ran %s times, each with a list of up to %s values:\n    %s\n",
				first.Seq, protocol.Count(n), protocol.Count(most), g.Shape)
			if budget == 0 {
				// A budget that grows with the data allows batches: its
				// own note (slopeNote) says how large.
			} else {
				fmt.Fprintf(&b, "  A batch of a fixed size still makes the count grow with the data, one statement more\n"+
					"  for each %s rows. Below SQLite's limit of 32,766 values, send the whole list in one\n"+
					"  statement, or JOIN the table into the first query.\n", protocol.Count(most))
			}
			if site != nil {
				fmt.Fprintf(&b, "  Statement %d is sent from %s.\n", first.Seq, site)
			}
			out = append(out, b.String())
			continue
		}
		if ok && parent.Rows == int64(n) {
			fmt.Fprintf(&b, "N+1 pattern: statement %d ran %s times, once for each of the %s rows statement %d returned:\n    %s\n",
				first.Seq, protocol.Count(n), protocol.Count(n), parent.Seq, g.Shape)
			fmt.Fprintf(&b, "  That is 1 + N statements, %s here: the count grows with the data (1,001 for 1,000 rows).\n", protocol.Count(n+1))
		} else {
			fmt.Fprintf(&b, "N+1 pattern: statement %d ran %s times with other values, one statement per row:\n    %s\n",
				first.Seq, protocol.Count(n), g.Shape)
		}
		if site != nil {
			fmt.Fprintf(&b, "  Statement %d is sent from %s.\n", first.Seq, site)
		}
		runs := make([]stmtlog.Entry, len(g.Seqs))
		for i, seq := range g.Seqs {
			runs[i] = bySeq[seq]
		}
		fmt.Fprintf(&b, "  Fix: %s\n", fixFor(g.Shape, runs, parent, ok, budget))
		out = append(out, b.String())
	}
	return out
}

// perCall describes a statement that ran n times with other values from a
// line of the learner's code that is in no loop: the check called the
// learner's function n times, and each call ran it once. That is not an
// N+1, and IN (...) is not its fix.
func perCall(entries []stmtlog.Entry, first stmtlog.Entry, g stmtlog.Group, n int, site *protocol.Site) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Statement %d ran %s times with other values, once in each call of %s:\n    %s\n",
		first.Seq, protocol.Count(n), site.Function, g.Shape)
	fmt.Fprintf(&b, "  It is sent from %s, in no loop: the check called %s %s times, and each call runs it.\n",
		site.Where(), site.Function, protocol.Count(n))
	if next, ok := nextStatement(entries, first); ok && isSelect(first.SQL) && isWrite(next.SQL) {
		fmt.Fprintf(&b, "  Each call looks a row up before it writes (statement %d: %s).\n"+
			"  Let the write do the looking: INSERT … SELECT … WHERE NOT EXISTS (…), or INSERT … ON CONFLICT DO NOTHING\n"+
			"  with a UNIQUE key, then read RowsAffected to know whether it wrote.\n", next.Seq, stmtlog.Shorten(stmtlog.Shape(next.SQL), 60))
	} else {
		fmt.Fprintf(&b, "  To fit the budget, see which statement each call of %s can do without.\n", site.Function)
	}
	return b.String()
}

// nextStatement returns the statement that ran right after e.
func nextStatement(entries []stmtlog.Entry, e stmtlog.Entry) (stmtlog.Entry, bool) {
	for _, x := range entries {
		if x.Seq > e.Seq && x.Kind == stmtlog.KindStatement {
			return x, true
		}
	}
	return stmtlog.Entry{}, false
}

func isSelect(query string) bool { return strings.EqualFold(firstWord(query), "select") }

func isWrite(query string) bool {
	switch strings.ToLower(firstWord(query)) {
	case "insert", "update", "delete", "replace":
		return true
	}
	return false
}

// parentQuery returns the query that ran last before first and has another
// shape: the list a loop went through.
func parentQuery(entries []stmtlog.Entry, first stmtlog.Entry, shape string) (stmtlog.Entry, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Seq >= first.Seq || e.Kind != stmtlog.KindStatement || !e.Query {
			continue
		}
		if strings.EqualFold(stmtlog.Shape(e.SQL), shape) {
			continue
		}
		return e, true
	}
	return stmtlog.Entry{}, false
}

var (
	whereEquals = regexp.MustCompile(`(?i)\bwhere\s+(?:[\w"]+\.)?([\w"]+)\s*=\s*\?`)
	whereWord   = regexp.MustCompile(`(?i)\bwhere\b`)
	colEquals   = regexp.MustCompile(`(?:[\w"]+\.)?([\w"]+)\s*=\s*\?`)
)

// fixFor suggests how to do in one statement what runs, the executions of
// shape, did row by row: fetch, delete or update them all at once. With a
// budget of 1 the list a loop went through and its rows must come from one
// statement, so the fix is a JOIN or a subquery, not an IN list of the
// values another statement returned.
func fixFor(shape string, runs []stmtlog.Entry, parent stmtlog.Entry, hasParent bool, budget int) string {
	col := loopColumn(runs)
	if col == "" {
		col = "the column"
		if m := whereEquals.FindStringSubmatch(shape); m != nil {
			col = strings.Trim(m[1], `"`)
		}
	}
	from := "the values you looped over"
	if hasParent {
		from = fmt.Sprintf("the values from statement %d", parent.Seq)
	}
	verb := strings.ToLower(firstWord(shape))
	if budget == 1 {
		switch verb {
		case "delete", "update":
			return fmt.Sprintf("%s them all in one statement, WHERE %s IN (SELECT …) with the query that found\n"+
				"  them as a subquery: the budget is 1, so there is no room for a statement that lists them first.", verb, col)
		case "insert", "replace":
			return "insert them all in one statement, INSERT … SELECT from the query that found them: the budget\n" +
				"  is 1, so there is no room for a statement that lists them first."
		}
		return "JOIN the table into the first query, so that one statement returns every row with what it\n" +
			"  needs (LEFT JOIN to keep the rows that have nothing to join); then group the rows in Go. The\n" +
			"  budget is 1: a second statement with WHERE … IN (…) would already be one too many."
	}
	switch verb {
	case "delete", "update":
		// The rows a loop writes are those it chose, often in Go from
		// what a query returned, not every row that query returned.
		return fmt.Sprintf("%s them all in one statement, WHERE %s IN (?, ?, …) with the values your loop\n"+
			"  went through, collected first (sqlx.In builds the list).", verb, col)
	case "insert", "replace":
		return "insert them all in one statement, with one row of values each: INSERT … VALUES (?, ?), (?, ?), …"
	}
	return fmt.Sprintf("fetch them all in one statement, WHERE %s IN (?, ?, …) with %s\n"+
		"  (sqlx.In builds the list), or JOIN the table into the first query; then match the rows up in Go.", col, from)
}

// loopColumn returns the column of the WHERE condition "column = ?" whose
// argument took the most values over the runs (the loop's variable; a
// column that changes less often, the user of two loops in a row, is the
// outer one), or "" when none changed.
func loopColumn(runs []stmtlog.Entry) string {
	if len(runs) < 2 {
		return ""
	}
	text := runs[0].SQL
	where := whereWord.FindStringIndex(text)
	if where == nil {
		return ""
	}
	best, most := "", 1
	for _, m := range colEquals.FindAllStringSubmatchIndex(text, -1) {
		if m[0] < where[1] {
			continue
		}
		arg := strings.Count(text[:m[1]], "?") - 1 // the ? that ends the match
		values := map[string]bool{}
		for _, r := range runs {
			if arg < len(r.Args) {
				values[fmt.Sprint(r.Args[arg])] = true
			}
		}
		if len(values) > most {
			best, most = strings.Trim(text[m[2]:m[3]], `"`), len(values)
		}
	}
	return best
}

// judgeBudget judges the statement count of r against c's budget, adding
// the explanation to r's failures when it is over, and returns the part.
// The budget is not judged when the code did not get to the end: it timed
// out, panicked, failed with an error, or the check could not run.
func judgeBudget(c *C, entries []stmtlog.Entry, r *dataResult) protocol.Part {
	budget := c.budget()
	r.limit = budget
	if r.timedOut || (budget <= 0 && !c.check.BudgetPer.set()) {
		return protocol.PartNotJudged
	}
	for _, f := range r.failures {
		if f.Kind == protocol.KindPanic || f.Kind == protocol.KindError || f.Kind == protocol.KindBroken {
			return protocol.PartNotJudged
		}
	}
	if r.count <= budget {
		return protocol.PartPass
	}
	outputOK := len(r.failures) == 0
	msg := explainBudget(entries, r.count, budget, c.budgetWords(), outputOK, c.log.Dropped(), c.cfg.sites())
	if why := c.slopeNote(entries); why != "" {
		msg += "\n" + why
	}
	msg += c.budgetNotes()
	r.failures = append(r.failures, newFailure(c.data, protocol.KindBudget, msg))
	return protocol.PartFail
}

// funcLiteral matches the name the runtime gives a function literal:
// AccountsWithDeposit.func1, or .func1.2 for one inside another.
var funcLiteral = regexp.MustCompile(`\.func\d+(\.\d+)*$`)
