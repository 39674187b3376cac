package stmtlog

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Connector opens connections to one SQLite database and records what runs on
// them. It implements [driver.Connector]; pass it to [database/sql.OpenDB].
type Connector struct {
	drv *Driver

	mu      sync.Mutex
	dsn     string
	log     *Log
	latency time.Duration
	gen     int // counts Retarget calls; a connection of an older one is invalid
}

// NewConnector returns a Connector for dsn, written as go-sqlite3 expects it
// (a path or a file: URI, with options such as _foreign_keys=on), recording
// into log. setup, if not nil, prepares each new connection before the
// program uses it, and what it runs is not recorded: settings such as a
// PRAGMA or a limit that the program should not see.
func NewConnector(dsn string, log *Log, setup func(*sqlite3.SQLiteConn) error) *Connector {
	c := &Connector{dsn: dsn, log: log}
	c.drv = &Driver{
		LogFor: func(string) (*Log, error) { return c.target().log, nil },
		Setup:  setup,
	}
	return c
}

// Connect opens a new connection to the database.
func (c *Connector) Connect(context.Context) (driver.Conn, error) {
	t := c.target()
	conn, err := openConn(t.dsn, t.log, c.drv.Setup, t.latency)
	if err != nil {
		return nil, err
	}
	conn.owner, conn.gen = c, t.gen
	return conn, nil
}

// Retarget makes the connections c opens from now on go to the database dsn
// names and record into log. Those it opened before become invalid: the
// database/sql pool (which asks [Conn.IsValid]) closes each instead of
// handing it out again, even one still in use now, once it is put back.
// One handle can thus serve many databases in turn, as one program's
// handle would serve its data as it changes.
func (c *Connector) Retarget(dsn string, log *Log) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dsn, c.log = dsn, log
	c.gen++
}

type target struct {
	dsn     string
	log     *Log
	latency time.Duration
	gen     int
}

func (c *Connector) target() target {
	c.mu.Lock()
	defer c.mu.Unlock()
	return target{c.dsn, c.log, c.latency, c.gen}
}

// SetLatency sets the simulated network round trip of the connections c
// opens from now on (see [Driver.Latency]).
func (c *Connector) SetLatency(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latency = d
}

// Driver returns a [Driver] that records into the same log.
func (c *Connector) Driver() driver.Driver { return c.drv }

// Driver is a [driver.Driver] for go-sqlite3 that records statements. Register
// it with [database/sql.Register] to let code open counted handles by name.
type Driver struct {
	// LogFor returns the log for connections opened with dsn. An error
	// refuses the connection and is returned to the program as it is.
	LogFor func(dsn string) (*Log, error)
	// Setup, if not nil, prepares each new connection before the program
	// uses it; what it runs is not recorded.
	Setup func(*sqlite3.SQLiteConn) error
	// Latency, when positive, simulates a database across a network: every
	// statement, BEGIN, COMMIT and ROLLBACK returns one round trip of this
	// length later than SQLite answers. The wait is recorded in
	// [Entry.Wait], never in [Entry.Duration], which stays SQLite's own time.
	Latency time.Duration
}

// Open opens a connection to the database dsn names.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	log, err := d.LogFor(dsn)
	if err != nil {
		return nil, err
	}
	return openConn(dsn, log, d.Setup, d.Latency)
}

// OpenConnector implements [driver.DriverContext].
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	log, err := d.LogFor(dsn)
	if err != nil {
		return nil, err
	}
	return &Connector{dsn: dsn, log: log, drv: d}, nil
}

var sqliteDriver = &sqlite3.SQLiteDriver{}

func openConn(dsn string, log *Log, setup func(*sqlite3.SQLiteConn) error, latency time.Duration) (*Conn, error) {
	c, err := sqliteDriver.Open(dsn)
	if err != nil {
		return nil, err
	}
	sc := c.(*sqlite3.SQLiteConn)
	if setup != nil {
		if err := setup(sc); err != nil {
			sc.Close()
			return nil, err
		}
	}
	return &Conn{sc: sc, log: log, latency: latency}, nil
}

type unloggedKey struct{}

// Unlogged returns a context under which an Exec on a [Conn] runs as it is,
// with no entry in the log, no latency and no injected failure: a change
// the checker makes between two calls of the learner's code, through the
// learner's own pool. Made there, it runs on the connection the learner's
// code used last, so nothing that one connection sees (PRAGMA
// data_version moves only for other connections' commits) tells the
// learner's code that the data changed.
func Unlogged(ctx context.Context) context.Context {
	return context.WithValue(ctx, unloggedKey{}, true)
}

// Conn is a connection that records what runs on it. It implements the
// interfaces go-sqlite3's connection implements: [driver.Conn],
// [driver.ConnPrepareContext], [driver.ConnBeginTx], [driver.ExecerContext],
// [driver.QueryerContext], [driver.Execer], [driver.Queryer] and
// [driver.Pinger]; and [driver.Validator], for [Connector.Retarget].
type Conn struct {
	sc      *sqlite3.SQLiteConn
	log     *Log
	latency time.Duration
	tx      *openTx // the transaction open on the connection, or nil

	owner *Connector // the Connector that opened it, if one did
	gen   int        // the owner's Retarget count when it did
}

// IsValid implements [driver.Validator]: a connection a Connector opened
// before its last Retarget is not to be used again.
func (c *Conn) IsValid() bool {
	return c.owner == nil || c.owner.target().gen == c.gen
}

// Underlying returns the go-sqlite3 connection under c, for work that is not
// a statement of the program's (hooks, backups, serialization). What runs on
// it directly is not recorded. It is a function, not a method, so that code
// under check, which reaches a *Conn through database/sql's Conn.Raw, can
// call it neither by name (it cannot import this package) nor through
// reflect (which finds only methods).
func Underlying(c *Conn) *sqlite3.SQLiteConn { return c.sc }

// Prepare implements [driver.Conn].
func (c *Conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext implements [driver.ConnPrepareContext]. Preparing is not
// counted; each execution of the prepared statement is.
func (c *Conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	run, reverse := c.log.adversary(query)
	s, err := c.sc.PrepareContext(ctx, run)
	if err != nil && run != query {
		c.log.noteUnreversed()
		s, err = c.sc.PrepareContext(ctx, query)
	}
	if err != nil {
		return nil, err
	}
	return &stmt{s: s.(*sqlite3.SQLiteStmt), query: query, reverse: reverse, log: c.log, latency: c.latency, conn: c}, nil
}

// Close implements [driver.Conn].
func (c *Conn) Close() error { return c.sc.Close() }

// Begin implements [driver.Conn].
func (c *Conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements [driver.ConnBeginTx].
func (c *Conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	e := c.log.start(KindBegin, "BEGIN", nil, false)
	began := time.Now()
	tx, err := c.sc.BeginTx(ctx, opts)
	c.log.finish(e, time.Since(began), 0, err)
	c.log.roundTrip(ctx, e, c.latency)
	if err != nil {
		return nil, err
	}
	c.tx = c.log.beginTx(e)
	return &txn{tx: tx, log: c.log, latency: c.latency, conn: c}, nil
}

// Ping implements [driver.Pinger].
func (c *Conn) Ping(ctx context.Context) error { return c.sc.Ping(ctx) }

// Exec implements [driver.Execer].
func (c *Conn) Exec(query string, args []driver.Value) (driver.Result, error) {
	return c.ExecContext(context.Background(), query, named(args))
}

// ExecContext implements [driver.ExecerContext].
// A text of several statements is run one statement at a time, as
// go-sqlite3 runs it, so that each is an entry of its own: a program that
// sends two DELETEs in one call has sent two statements. The call waits
// one simulated round trip, after its last statement.
func (c *Conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if ctx.Value(unloggedKey{}) != nil {
		return c.sc.ExecContext(ctx, query, args)
	}
	parts := splitStatements(query)
	if len(parts) == 1 {
		return c.execOne(ctx, query, args, c.latency, nil)
	}
	var res driver.Result
	used, batch := 0, 0
	for i, part := range parts {
		partArgs, n, err := c.argsFor(ctx, part, args, used)
		if err != nil {
			return nil, err
		}
		used += n
		latency := time.Duration(0)
		if i == len(parts)-1 {
			latency = c.latency
		}
		if res, err = c.execOne(ctx, part, partArgs, latency, &batch); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// execOne runs one statement and records it; batch, when not nil, holds
// the Seq of the first statement of the text of several it is part of (0
// for the first).
func (c *Conn) execOne(ctx context.Context, query string, args []driver.NamedValue, latency time.Duration, batch *int) (driver.Result, error) {
	pooled := c.log != nil && controlKind(query) != KindStatement && sentThroughPool()
	e := c.log.start(KindStatement, query, args, false)
	if batch != nil {
		c.log.markBatch(e, batch)
	}
	if pooled {
		c.log.markPooled(e)
	}
	c.log.lockedBy(e, c.tx)
	began := time.Now()
	if err := c.log.inject(e); err != nil {
		return c.log.endExec(ctx, e, began, latency, nil, err)
	}
	res, err := c.sc.ExecContext(ctx, query, args)
	if err == nil {
		c.log.noteForeignKeys(c, e, query)
	}
	return c.log.endExec(ctx, e, began, latency, res, err)
}

// argsFor returns the arguments of one statement of a text of several, as
// go-sqlite3 hands them out: the next positional arguments, as many as the
// statement has parameters (the first used have gone to the statements
// before it), and every named one; and how many positional ones it took.
// A statement SQLite cannot prepare takes them all, and fails when it runs.
func (c *Conn) argsFor(ctx context.Context, query string, args []driver.NamedValue, used int) ([]driver.NamedValue, int, error) {
	st, err := c.sc.PrepareContext(ctx, query)
	if err != nil {
		return args, 0, nil
	}
	n := st.NumInput()
	st.Close()
	if n < 0 || used+n > len(args) {
		return nil, 0, fmt.Errorf("not enough args to execute query: want %d got %d", n, len(args)-used)
	}
	out := make([]driver.NamedValue, 0, len(args))
	out = append(out, args[used:used+n]...)
	for i, a := range args {
		if (i < used || i >= used+n) && a.Name != "" {
			out = append(out, a)
		}
	}
	for i := range out {
		out[i].Ordinal = i + 1
	}
	return out, n, nil
}

// Query implements [driver.Queryer].
func (c *Conn) Query(query string, args []driver.Value) (driver.Rows, error) {
	return c.QueryContext(context.Background(), query, named(args))
}

// QueryContext implements [driver.QueryerContext].
func (c *Conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	e := c.log.start(KindStatement, query, args, true)
	c.log.lockedBy(e, c.tx)
	run, reverse := c.log.adversary(query)
	began := time.Now()
	if err := c.log.inject(e); err != nil {
		return c.log.endQuery(ctx, e, began, c.latency, nil, err, reverse)
	}
	r, err := c.sc.QueryContext(ctx, run, args)
	if err != nil && run != query {
		c.log.noteUnreversed()
		began = time.Now()
		r, err = c.sc.QueryContext(ctx, query, args)
	}
	if err == nil {
		c.log.noteForeignKeys(c, e, query)
	}
	return c.log.endQuery(ctx, e, began, c.latency, r, err, reverse)
}

// stmt is a prepared statement; it implements the interfaces of
// go-sqlite3's statement: driver.Stmt, driver.StmtExecContext and
// driver.StmtQueryContext.
type stmt struct {
	s       *sqlite3.SQLiteStmt
	query   string // the learner's text, which may differ from the one prepared (see Log.adversary)
	reverse bool   // the rows are handed back last first
	log     *Log
	latency time.Duration
	conn    *Conn
}

func (s *stmt) Close() error  { return s.s.Close() }
func (s *stmt) NumInput() int { return s.s.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	e := s.log.start(KindStatement, s.query, args, false)
	s.log.lockedBy(e, s.conn.tx)
	began := time.Now()
	if err := s.log.inject(e); err != nil {
		return s.log.endExec(ctx, e, began, s.latency, nil, err)
	}
	res, err := s.s.ExecContext(ctx, args)
	return s.log.endExec(ctx, e, began, s.latency, res, err)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	e := s.log.start(KindStatement, s.query, args, true)
	s.log.lockedBy(e, s.conn.tx)
	began := time.Now()
	if err := s.log.inject(e); err != nil {
		return s.log.endQuery(ctx, e, began, s.latency, nil, err, s.reverse)
	}
	r, err := s.s.QueryContext(ctx, args)
	return s.log.endQuery(ctx, e, began, s.latency, r, err, s.reverse)
}

// endExec completes the entry of an Exec, then waits the simulated round
// trip. An execution the driver declined with ErrSkip is forgotten:
// database/sql retries it another way, which is recorded then.
func (l *Log) endExec(ctx context.Context, e *Entry, began time.Time, latency time.Duration, res driver.Result, err error) (driver.Result, error) {
	took := time.Since(began)
	if errors.Is(err, driver.ErrSkip) {
		l.remove(e)
		return nil, err
	}
	var affected int64
	if err == nil && res != nil {
		affected, _ = res.RowsAffected()
	}
	l.finish(e, took, affected, err)
	l.roundTrip(ctx, e, latency)
	return res, err
}

// endQuery completes the entry of a Query, as far as it goes (the rows it
// returns add to it as the program reads them), then waits the simulated
// round trip. With reverse, the rows come back last first.
func (l *Log) endQuery(ctx context.Context, e *Entry, began time.Time, latency time.Duration, r driver.Rows, err error, reverse bool) (driver.Rows, error) {
	took := time.Since(began)
	if errors.Is(err, driver.ErrSkip) {
		l.remove(e)
		return nil, err
	}
	l.finish(e, took, 0, err)
	l.roundTrip(ctx, e, latency)
	if err != nil {
		return nil, err
	}
	keep := 0
	if l != nil {
		keep = l.KeepRows
	}
	sr := r.(*sqlite3.SQLiteRows)
	var src driver.Rows = sr
	if reverse {
		src = &reversedRows{Rows: sr}
	}
	return &rows{r: sr, src: src, log: l, e: e, keep: keep}, nil
}

// rows counts the rows the program reads and the time spent reading them. It
// implements the interfaces of go-sqlite3's rows: driver.Rows and the
// driver.RowsColumnType* family. Counts are kept here, without a lock, and
// added to the log's entry when the rows end or are closed.
type rows struct {
	r    *sqlite3.SQLiteRows
	src  driver.Rows // r, or r reversed
	log  *Log
	e    *Entry
	n    int64
	dur  time.Duration
	keep int // rows to keep in the entry's sample (Log.KeepRows)
}

func (r *rows) Columns() []string { return r.r.Columns() }

func (r *rows) Close() error {
	r.flush(nil)
	return r.r.Close()
}

func (r *rows) Next(dest []driver.Value) error {
	began := time.Now()
	err := r.src.Next(dest)
	r.dur += time.Since(began)
	switch {
	case err == nil:
		if r.n < int64(r.keep) {
			r.log.keepRow(r.e, dest)
		}
		r.n++
	case errors.Is(err, io.EOF):
		r.flush(nil)
	default:
		r.flush(err)
	}
	return err
}

// flush adds what was read since the last flush to the log's entry.
func (r *rows) flush(err error) {
	if r.n != 0 || r.dur != 0 || err != nil {
		r.log.finish(r.e, r.dur, r.n, err)
		r.n, r.dur = 0, 0
	}
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.r.ColumnTypeDatabaseTypeName(i) }
func (r *rows) ColumnTypeNullable(i int) (bool, bool)   { return r.r.ColumnTypeNullable(i) }
func (r *rows) ColumnTypeScanType(i int) reflect.Type   { return r.r.ColumnTypeScanType(i) }

// txn records the end of a transaction.
type txn struct {
	tx      driver.Tx
	log     *Log
	latency time.Duration
	conn    *Conn
}

func (t *txn) Commit() error   { return t.end(KindCommit, "COMMIT", t.tx.Commit) }
func (t *txn) Rollback() error { return t.end(KindRollback, "ROLLBACK", t.tx.Rollback) }

func (t *txn) end(kind Kind, word string, f func() error) error {
	t.log.endTx(t.conn.tx)
	t.conn.tx = nil
	e := t.log.start(kind, word, nil, false)
	began := time.Now()
	var err error
	if err = t.log.inject(e); err != nil {
		// A COMMIT that fails ends the transaction without its writes,
		// as SQLite's does when the disk is full.
		t.tx.Rollback()
	} else {
		err = f()
	}
	t.log.finish(e, time.Since(began), 0, err)
	t.log.roundTrip(context.Background(), e, t.latency)
	return err
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}
