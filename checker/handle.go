package checker

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// handle is the learner's handle on the data: one *sqlx.DB for every run of
// every check in the program, pointed at each run's private copy in turn.
// Code that keeps a result per handle (a map keyed by *sqlx.DB, a value
// cached beside the handle it came from) is then handed the same handle on
// other data, in the next data set or the next check, and what it kept
// shows; with a new handle per run it never could.
type handle struct {
	mu   sync.Mutex
	db   *sqlx.DB
	conn *stmtlog.Connector
}

// retarget returns the shared handle, its new connections going to the
// database dsn names and recording into log, and those of earlier runs
// closed as they come back to the pool. The pool's settings start over:
// a learner's SetMaxOpenConns in one run is not the next run's.
func (h *handle) retarget(dsn string, log *stmtlog.Log, latency time.Duration) *sqlx.DB {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.db == nil {
		h.conn = stmtlog.NewConnector(dsn, log, learnerSetup)
		h.conn.SetLatency(latency)
		h.db = sqlx.NewDb(sql.OpenDB(h.conn), "sqlite3")
	} else {
		h.conn.Retarget(dsn, log)
		h.conn.SetLatency(latency)
	}
	h.db.SetMaxOpenConns(0)
	h.db.SetMaxIdleConns(2)
	h.db.SetConnMaxLifetime(0)
	h.db.SetConnMaxIdleTime(0)
	return h.db
}

// release ends a run's use of db: its idle connections close, so that the
// run's copy can go. A handle the learner's code closed, or left holding a
// connection (a transaction never ended, rows never closed), is dropped,
// and the next run gets a new one: what one run left open is never counted
// against the next.
func (h *handle) release(db *sqlx.DB) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if db != h.db {
		db.Close()
		return
	}
	if db.Stats().InUse > 0 {
		h.db, h.conn = nil, nil
		return
	}
	if err := db.PingContext(context.Background()); err != nil && strings.Contains(err.Error(), "database is closed") {
		h.db, h.conn = nil, nil
		return
	}
	db.SetMaxIdleConns(0)
}

// abandon leaves db to code that still runs (a body that did not return in
// time): later runs get a handle of their own, which that code cannot
// reach.
func (h *handle) abandon(db *sqlx.DB) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if db != nil && db == h.db {
		h.db, h.conn = nil, nil
	}
}

// openNote fails the check when the learner's code returned from its last
// call with a connection of the handle still in use: a transaction it
// began and never ended, or rows it never closed. Each holds one of the
// pool's connections (and, for a transaction, SQLite's lock) for as long
// as the program runs; the next call that needs one may wait for ever.
func (c *C) openNote() {
	c.mu.Lock()
	db := c.db
	c.mu.Unlock()
	if db == nil || db.Stats().InUse == 0 {
		return
	}
	var begin stmtlog.Entry // the last BEGIN that nothing ended
	for _, e := range c.log.Entries() {
		switch e.Kind {
		case stmtlog.KindBegin:
			begin = e
		case stmtlog.KindCommit, stmtlog.KindRollback:
			begin = stmtlog.Entry{}
		}
	}
	c.mu.Lock()
	failed := len(c.failures) > 0
	c.mu.Unlock()
	if begin.Seq > 0 && failed && c.uncommitted(false) != "" {
		return // the failure already says the writes were never committed
	}
	if begin.Seq > 0 {
		where := ""
		if s := c.cfg.sites().of(begin); s != nil {
			where = ", from " + s.Where()
		}
		c.fail(protocol.KindResult, fmt.Sprintf("%s returned with its transaction still open (statement %d, BEGIN%s).\n"+
			"  An open transaction holds one of the pool's connections, and SQLite's lock, until it ends:\n"+
			"  the calls after it wait for them. End every path after Beginx with Commit or Rollback\n"+
			"  (`defer tx.Rollback()` on the line after it does it); a single read needs no transaction.",
			c.callName(), begin.Seq, where))
		return
	}
	c.fail(protocol.KindResult, fmt.Sprintf("%s returned with a connection still in use: rows it queried were never\n"+
		"  closed (a Query or Queryx whose rows.Close never ran, or a loop left before rows.Next\n"+
		"  returned false). Each holds one of the pool's connections until the program ends. Close\n"+
		"  them (`defer rows.Close()` on the line after the query), or use Select and Get, which do.",
		c.callName()))
}
