package checker

import (
	"fmt"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// PerRows is a statement budget that grows with the data by a stated
// slope: Base statements, and one more for every Per rows of table Of (or
// part of Per rows) in the data set the run starts from,
//
//	budget = Base + ⌈N / Per⌉, N = SELECT count(*) FROM Of
//
// as the budgets of Rails' n_plus_one_control grow with the number of
// records. It is for code that may send its ids in batches (lesson 18):
// PerRows{Base: 1, Per: 500, Of: "users"} allows one statement for the
// users and one for every 500 of their ids, 81 at 40,000 users, which
// batches of 500 or more (and one statement of json_each) meet, and a
// statement per user, or batches of 10, do not.
//
// N is counted on the copy before the body runs (for a check that starts
// empty, on the data set's rows), with the checker's own connection, so
// nothing the learner's code or the check's own statements do to the table
// afterwards moves the budget.
type PerRows struct {
	// Base is the statements allowed whatever the number of rows.
	Base int
	// Per is how many rows each further statement may cover: more than 0.
	Per int
	// Of is the table whose rows are counted.
	Of string
}

// set reports whether p is a budget, not the zero value.
func (p PerRows) set() bool { return p != PerRows{} }

// Budget returns the statements allowed when Of holds rows rows.
func (p PerRows) Budget(rows int) int {
	if p.Per <= 0 || rows <= 0 {
		return p.Base
	}
	return p.Base + (rows+p.Per-1)/p.Per
}

// String states the formula without its figures: "1 + ⌈users / 500⌉".
func (p PerRows) String() string {
	return fmt.Sprintf("%d + ⌈%s / %s⌉", p.Base, p.Of, protocol.Count(p.Per))
}

// Formula states the budget for rows rows with its figures:
// "1 + ⌈40,000 / 500⌉ = 81".
func (p PerRows) Formula(rows int) string {
	return fmt.Sprintf("%d + ⌈%s / %s⌉ = %s", p.Base, protocol.Count(rows), protocol.Count(p.Per), protocol.Count(p.Budget(rows)))
}

// problem returns why p cannot be a check's budget, or "".
func (p PerRows) problem(check Check) string {
	switch {
	case !p.set():
		return ""
	case check.Budget != 0:
		return fmt.Sprintf("checker: check %q sets both Budget and BudgetPer: give one", check.Name)
	case p.Per <= 0:
		return fmt.Sprintf("checker: check %q has BudgetPer.Per %d: it must be more than 0", check.Name, p.Per)
	case p.Base < 0:
		return fmt.Sprintf("checker: check %q has a negative BudgetPer.Base", check.Name)
	case p.Of == "":
		return fmt.Sprintf("checker: check %q has a BudgetPer with no table to count (Of)", check.Name)
	}
	return ""
}

// countRows counts the rows of p's table in the database at path.
func (p PerRows) countRows(path string) (int, error) {
	db := openOwn(sqlite.DSN(path, sqlite.Options{}))
	defer db.Close()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM `+sqlite.QuoteIdent(p.Of)); err != nil {
		return 0, fmt.Errorf("checker: counting the rows of %s for the budget %s: %w", p.Of, p, err)
	}
	return n, nil
}

// budget returns the run's statement budget: the check's Budget, or its
// BudgetPer for the rows the run started with; 0 means none.
func (c *C) budget() int {
	if c.check.BudgetPer.set() {
		return c.check.BudgetPer.Budget(c.budgetRows)
	}
	return c.check.Budget
}

// budgetWords states a budget that grows with the data for the
// over-budget message, "1 + ⌈40,000 / 500⌉ = 81", or returns "" for a
// fixed budget, which the message states as its figure.
func (c *C) budgetWords() string {
	if c.check.BudgetPer.set() {
		return c.check.BudgetPer.Formula(c.budgetRows)
	}
	return ""
}

// slopeNote explains a BudgetPer budget that was exceeded: where the
// formula comes from, and how many ids the learner's most repeated
// statement carried, against what the budget needs. It is "" for a fixed
// budget.
func (c *C) slopeNote(entries []stmtlog.Entry) string {
	p := c.check.BudgetPer
	if !p.set() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The budget grows with the data: %s, and one more for every %s rows of %s\n"+
		"  (%s of them here), so %s statements.",
		protocol.Counted(p.Base, "statement"), protocol.Count(p.Per), p.Of, protocol.Count(c.budgetRows), p.Formula(c.budgetRows))
	var most stmtlog.Group
	for _, g := range stmtlog.Groups(entries) {
		if len(g.Seqs) > len(most.Seqs) {
			most = g
		}
	}
	bySeq := map[int]stmtlog.Entry{}
	for _, e := range entries {
		bySeq[e.Seq] = e
	}
	largest := 0
	for _, s := range most.Seqs {
		largest = max(largest, len(bySeq[s].Args))
	}
	limit := variableLimit()
	if len(most.Seqs) > p.Base && largest > 1 {
		fmt.Fprintf(&b, "\n  Statement %d's shape ran %s times, with at most %s values each: batches that small\n"+
			"  take %s statements for %s rows. Send more at once (%s or more a statement, up to\n"+
			"  SQLite's limit of %s values), or all of them as one value (json_each).",
			most.Seqs[0], protocol.Count(len(most.Seqs)), protocol.Count(largest),
			protocol.Count(len(most.Seqs)), protocol.Count(c.budgetRows), protocol.Count(p.Per), protocol.Count(limit))
	} else if limit > 0 && c.budgetRows > limit {
		fmt.Fprintf(&b, "\n  One IN (?, ?, …) for all %s is more values than SQLite binds in one statement\n"+
			"  (%s): send them in batches of at most that many, or all of them as one value (json_each).",
			protocol.Count(c.budgetRows), protocol.Count(limit))
	}
	return b.String()
}

// perRowsBudget sets the budget v states for a check whose budget grows
// with the data: that of the data set whose count v's first failure
// states (the one the failure's line and explanation are about), or else
// that of the data set that ran the most statements, so that the line
// "502 statements (budget 3)" pairs a count with its own budget.
func perRowsBudget(check Check, v *protocol.Verdict, limits map[string]int) {
	if !check.BudgetPer.set() || len(v.Failures) == 0 {
		return
	}
	if limit, ok := limits[v.Failures[0].Data]; ok {
		v.MaxStatements = limit
	}
}
