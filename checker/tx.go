package checker

import (
	"fmt"
	"regexp"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

var rollbackTo = regexp.MustCompile(`(?i)^\s*ROLLBACK\s+(?:TRANSACTION\s+)?TO\b`)

// lastTransaction finds in entries the last transaction the learner's
// code began that ran statements: its BEGIN (or outermost SAVEPOINT), how
// many statements ran inside it, and how it ended: the COMMIT, END,
// RELEASE or ROLLBACK entry that closed it, or ended false when nothing
// did. ROLLBACK TO a savepoint leaves a transaction open.
func lastTransaction(entries []stmtlog.Entry) (begin, end stmtlog.Entry, inside int, ended, ok bool) {
	depth := 0
	var cur stmtlog.Entry
	n := 0
	for _, e := range entries {
		if e.Err != "" && e.Kind != stmtlog.KindStatement {
			continue
		}
		switch e.Kind {
		case stmtlog.KindBegin:
			if depth == 0 {
				cur, n = e, 0
			}
			depth++
		case stmtlog.KindCommit, stmtlog.KindRollback:
			if depth == 0 || rollbackTo.MatchString(e.SQL) {
				continue
			}
			// database/sql's Commit and Rollback end the whole transaction;
			// RELEASE of a nested savepoint only one level.
			if firstWordIs(e.SQL, "COMMIT", "END", "ROLLBACK") {
				depth = 0
			} else {
				depth--
			}
			if depth == 0 && n > 0 {
				begin, end, inside, ended, ok = cur, e, n, true, true
			}
		case stmtlog.KindStatement:
			if depth > 0 {
				n++
			}
		}
	}
	if depth > 0 {
		return cur, stmtlog.Entry{}, n, false, true
	}
	return begin, end, inside, ended, ok
}

func firstWordIs(s string, words ...string) bool {
	w := firstWord(s)
	for _, x := range words {
		if len(w) == len(x) && (w == x || equalFoldASCII(w, x)) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	for i := range len(a) {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// UncommittedWrites returns a paragraph saying that what the learner's code
// wrote inside its last transaction is not in the database: it began the
// transaction and never committed it or rolled it back (until COMMIT, no
// other connection sees its writes), or it rolled it back. It returns ""
// when that transaction was committed, or when the code began none.
// [C.ExpectChanges] adds it to its failure when the transaction is still
// open (a rollback may have been right); a check whose own message follows
// from missing writes (a table the code should have created) adds it to
// that.
func (c *C) UncommittedWrites() string { return c.uncommitted(true) }

// uncommitted is UncommittedWrites; with rolledBack false it says nothing
// of a transaction that was rolled back, which may have been the right
// thing to do.
func (c *C) uncommitted(rolledBack bool) string {
	_, end, inside, ended, ok := lastTransaction(c.log.Entries())
	if !ok || ended && (end.Kind == stmtlog.KindCommit || !rolledBack) {
		return ""
	}
	n := protocol.Counted(inside, "statement")
	if !ended {
		return fmt.Sprintf("Your code began a transaction and never committed it or rolled it back, so nothing\n"+
			"the %s inside it wrote is there: until COMMIT, no other connection sees a\n"+
			"transaction's writes, and they are thrown away when its connection closes. Call\n"+
			"tx.Commit() once every statement has succeeded (and defer tx.Rollback() for the error paths).",
			n)
	}
	return fmt.Sprintf("Your code rolled its transaction back and never committed it, so nothing the\n"+
		"%s inside it wrote is there. A deferred tx.Rollback() undoes everything unless\n"+
		"tx.Commit() ran first: return tx.Commit() once every statement has succeeded.",
		n)
}

// pooledControlNote explains the first transaction control the learner's
// code sent as SQL text through the pool (db.Exec("BEGIN")), or returns ""
// when it sent none. Such a transaction holds only by luck: the pool hands
// each statement whichever connection is free, so the statements after
// the BEGIN may run on another one, outside it, and the COMMIT may end
// nothing, leaving a connection in the pool with a transaction open.
func pooledControlNote(entries []stmtlog.Entry) string {
	for _, e := range entries {
		if !e.Pooled {
			continue
		}
		return fmt.Sprintf("Statement %d sends %s through db, the pool of connections:\n"+
			"    %s\n"+
			"The pool runs each statement on whichever connection is free, so the statements after a BEGIN\n"+
			"sent that way may run on another connection, outside the transaction, and a COMMIT may end\n"+
			"nothing. Here they happened to share one, because nothing else used the pool at the time.\n"+
			"Begin the transaction with tx, err := db.Beginx() and send its statements, the Commit and the\n"+
			"Rollback through tx.", e.Seq, strings.ToUpper(strings.TrimRight(firstWord(e.SQL), ";")), strings.Join(strings.Fields(e.SQL), " "))
	}
	return ""
}
