package checker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// maxFaults bounds the runs of [C.ExpectAllOrNothing]: the writes it makes
// fail are the first maxFaults-1 and the last.
const maxFaults = 12

// ExpectAllOrNothing checks that f, the learner's call (written as call in
// messages) run on a database, is one unit of work: when any one of the
// statements it writes with fails, f returns an error and leaves every
// table as it was, with no transaction open. A failure anywhere is the
// case that matters, not only the one a check can provoke with data: a
// migration that commits half way, or that writes outside its
// transaction, passes every check whose failure comes first.
//
// It runs f on a private copy of the check's database as it is now, once
// to count f's writes, then once with each of them in turn made to fail
// (the first few and the last; see [stmtlog.Log.FailWrite]). None of it
// is counted in the check's statements, and the check's own database is
// not touched: the check goes on to call f on it. A call that fails on
// the copy with nothing made to fail is left for that call to report.
func (c *C) ExpectAllOrNothing(call string, f func(db *sqlx.DB) error) {
	dir, err := os.MkdirTemp(filepath.Dir(c.path), "faults-")
	if err != nil {
		c.ownFailure("a copy to make statements fail on", err)
	}
	defer os.RemoveAll(dir)
	before := c.Snapshot()
	copyPath := filepath.Join(dir, "faults.db")
	if err := c.copyTo(copyPath); err != nil {
		c.ownFailure("a copy to make statements fail on", err)
	}
	clean := &stmtlog.Log{}
	if err := c.runOnCopy(copyPath, clean, f); err != nil {
		return
	}
	var writes int
	for _, e := range clean.Entries() {
		if stmtlog.FailurePoint(e) {
			writes++
		}
	}
	for k := 1; k <= writes; k++ {
		if k == maxFaults && k < writes {
			k = writes
		}
		if err := c.copyTo(copyPath); err != nil {
			c.ownFailure("a copy to make statements fail on", err)
		}
		log := &stmtlog.Log{}
		log.FailWrite(k)
		var open int
		err := c.runOnCopyThen(copyPath, log, f, func(db *sqlx.DB) { open = db.Stats().InUse })
		failed, ok := log.Injected()
		if !ok {
			continue // this run wrote less than the first: nothing was made to fail
		}
		now, lerr := c.tablesAt(copyPath)
		if lerr != nil {
			c.ownFailure("reading the tables", lerr)
		}
		left := tableChanges(before.tables, now)
		objects, lerr := c.objectsAt(copyPath)
		if lerr != nil {
			c.ownFailure("reading the schema", lerr)
		}
		left = append(left, schemaLeft(before.objects, objects, nil)...)
		switch {
		case open > 0:
			c.Fatalf("%s\n  %s returned with its transaction still open. End every path after Beginx with\n"+
				"  Commit or Rollback: `defer tx.Rollback()` on the line after it does it.",
				c.faultSaid(call, log, failed), call)
		case err == nil:
			c.Fatalf("%s\n  %s returned no error: the failure was dropped on the way, so the caller would\n"+
				"  believe the work done. Return every error (if err != nil { return err }).",
				c.faultSaid(call, log, failed), call)
		case len(left) > 0:
			c.Fatalf("%s\n  %s returned the error, but left this behind:\n    %s\n%s",
				c.faultSaid(call, log, failed), call, strings.Join(left, "\n    "), c.outsideNote(log, failed))
		case !errors.Is(err, stmtlog.ErrInjected) && !sqliteErrorIn(err, log) && ranAfter(log, failed) > 0:
			c.Fatalf("%s\n  %s changed nothing, but it went on after that statement failed (it sent %s\n"+
				"  more) and returned another error in place of the statement's:\n    %s\n"+
				"  The caller learns of what came after, not of what failed, and cannot find the refusal with\n"+
				"  errors.Is or errors.As. Return a statement's error at once (if err != nil { return err }), or\n"+
				"  with words: fmt.Errorf(\"…: %%w\", err).",
				c.faultSaid(call, log, failed), call, protocol.Counted(ranAfter(log, failed), "statement"), clip(err.Error(), 200))
		case !errors.Is(err, stmtlog.ErrInjected) && !sqliteErrorIn(err, log):
			c.Fatalf("%s\n  %s changed nothing, but returned an error of its own in place of the statement's:\n"+
				"    %s\n  The caller can no longer tell what failed (a refused row, a full disk), nor find it with\n"+
				"  errors.Is or errors.As. Return the error as it is, or add words with fmt.Errorf(\"…: %%w\", err):\n"+
				"  %%v and errors.New keep none of it.", c.faultSaid(call, log, failed), call, clip(err.Error(), 200))
		}
	}
}

// ranAfter returns how many statements (transaction control aside) the
// code sent after failed, or tried to: its code went on past the failure.
func ranAfter(log *stmtlog.Log, failed stmtlog.Entry) int {
	n := 0
	for _, e := range log.Entries() {
		if e.Seq > failed.Seq && e.Kind == stmtlog.KindStatement {
			n++
		}
	}
	return n
}

// sqliteErrorIn reports whether err carries a sqlite3.Error that a
// statement of log got: a later statement's refusal, returned after the
// injected failure, is SQLite's own too.
func sqliteErrorIn(err error, log *stmtlog.Log) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	for _, e := range log.Statements() {
		if e.Err != "" && e.Err == se.Error() {
			return true
		}
	}
	return false
}

// faultSaid says which statement of the learner's was made to fail.
func (c *C) faultSaid(call string, log *stmtlog.Log, failed stmtlog.Entry) string {
	msg := fmt.Sprintf("%s must change all or nothing. On a copy, the checker made statement %d fail\n"+
		"  on purpose, as a full disk or a refused row would:\n    %s",
		call, failed.Seq, clip(stmtlog.Shape(failed.SQL), 100))
	if site := c.cfg.sites().of(failed); site != nil {
		msg += "\n    (sent from " + site.Where() + ")"
	}
	return msg
}

// outsideNote explains why a write that failed left earlier ones behind:
// the code went on and committed after it, or had committed before it, or
// ran it outside the transaction, or began none.
func (c *C) outsideNote(log *stmtlog.Log, failed stmtlog.Entry) string {
	const fix = "  Run every statement of the work on one transaction (tx := db.MustBegin(); defer tx.Rollback();\n" +
		"  tx.Exec for each; return tx.Commit() last), so that a failure anywhere undoes it all."
	var before, after stmtlog.Entry // the last COMMIT before failed, the first after
	began := false
	for _, e := range log.Entries() {
		switch {
		case e.Kind == stmtlog.KindBegin && e.Seq < failed.Seq:
			began = true
		case e.Kind == stmtlog.KindCommit && e.Seq < failed.Seq:
			before = e
		case e.Kind == stmtlog.KindCommit && e.Seq > failed.Seq && after.Seq == 0:
			after = e
		}
	}
	site := c.cfg.sites().of(after)
	switch {
	case failed.InTx && after.Seq > 0 && site != nil && funcLiteral.MatchString(site.Function):
		return fmt.Sprintf("  Statement %d failed, and your code committed at statement %d, from a function literal\n"+
			"  (%s).\n"+
			"  A deferred function runs on every return, the one with the error too, so what ran before\n"+
			"  the failure was kept. Check which err it reads: one declared again with := in an\n"+
			"  if or a block is another variable, and the deferred code never sees it. Commit at the end of\n"+
			"  the path that worked (return tx.Commit()), and defer only tx.Rollback().", failed.Seq, after.Seq, site.Where())
	case failed.InTx && after.Seq > 0:
		return fmt.Sprintf("  Your code went on after statement %d failed, and committed at statement %d: what ran\n"+
			"  before the failure was kept. Return the error at once; the deferred tx.Rollback() then undoes\n"+
			"  it all.", failed.Seq, after.Seq)
	case before.Seq > 0:
		return fmt.Sprintf("  Statement %d ran after your code committed at statement %d, before the work was over,\n"+
			"  and what was committed stays.\n%s", failed.Seq, before.Seq, fix)
	case began && !failed.InTx:
		return fmt.Sprintf("  Statement %d ran outside the transaction your code began: it went through db, not tx.\n%s", failed.Seq, fix)
	case !began:
		return fmt.Sprintf("  Your code began no transaction, so each statement before %d was kept as it ran.\n%s", failed.Seq, fix)
	}
	return fix
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// copyTo writes the check's database as it is now to path, replacing
// what is there.
func (c *C) copyTo(path string) error {
	for _, p := range []string{path, path + "-journal", path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	dst := openOwn(sqlite.DSN(path, sqlite.Options{}))
	defer dst.Close()
	return backup(context.Background(), dst, c.ownDB())
}

// runOnCopy calls f on a learner's handle on the copy at path, its
// statements recorded in log, and closes the handle.
func (c *C) runOnCopy(path string, log *stmtlog.Log, f func(db *sqlx.DB) error) error {
	return c.runOnCopyThen(path, log, f, nil)
}

// runOnCopyThen is runOnCopy, calling after (when not nil) once f has
// returned, before the handle closes.
func (c *C) runOnCopyThen(path string, log *stmtlog.Log, f func(db *sqlx.DB) error, after func(*sqlx.DB)) error {
	dsn := sqlite.DSN(path, sqlite.Options{ForeignKeys: !c.check.ForeignKeysOff, BusyTimeout: learnerBusyTimeout})
	db := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, learnerSetup)), "sqlite3")
	defer db.Close()
	err := f(db)
	if after != nil {
		after(db)
	}
	return err
}

// tablesAt reads every table of the database at path.
// objectsAt reads the schema's objects of the database at path.
func (c *C) objectsAt(path string) ([]sqlite.Object, error) {
	db := openOwn(sqlite.DSN(path, sqlite.Options{ReadOnly: true}))
	defer db.Close()
	return sqlite.Objects(context.Background(), db, "main")
}

func (c *C) tablesAt(path string) (map[string]*table, error) {
	db := openOwn(sqlite.DSN(path, sqlite.Options{ReadOnly: true}))
	defer db.Close()
	return loadTables(db)
}
