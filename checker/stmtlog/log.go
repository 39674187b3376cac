package stmtlog

import (
	"context"
	"database/sql/driver"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Kind tells a statement from transaction control in a [Log].
type Kind int

const (
	// KindStatement is an Exec or a Query: the work a budget counts.
	KindStatement Kind = iota
	// KindBegin starts a transaction.
	KindBegin
	// KindCommit commits a transaction.
	KindCommit
	// KindRollback rolls a transaction back.
	KindRollback
)

// String returns the word used for the kind in listings.
func (k Kind) String() string {
	switch k {
	case KindBegin:
		return "BEGIN"
	case KindCommit:
		return "COMMIT"
	case KindRollback:
		return "ROLLBACK"
	default:
		return "statement"
	}
}

// Entry is one recorded execution.
type Entry struct {
	// Seq numbers the entries of a log from 1 in the order they started.
	Seq int
	// Kind is KindStatement for Exec and Query.
	Kind Kind
	// SQL is the text that was executed, as the program passed it.
	SQL string
	// Args holds the arguments, converted as the driver received them.
	Args []any
	// Query is true for a Query (rows returned), false for an Exec.
	Query bool
	// Rows counts the rows a Query returned to the program, or the rows an
	// Exec changed.
	Rows int64
	// Duration is the time spent inside the driver: executing, and for a
	// Query, stepping through the rows the program read.
	Duration time.Duration
	// Wait is the simulated network round trip spent after SQLite answered
	// ([Driver.Latency]); it is not part of Duration.
	Wait time.Duration
	// Err is the error the driver returned, or "".
	Err string
	// LockedBy, when not 0, is the Seq of the BEGIN of a transaction that
	// was open on another connection of the same log, and had written,
	// when this execution started: a write here waits for that
	// transaction's lock, and if the code that holds it is the code
	// waiting here, it waits until SQLite gives up (SQLITE_BUSY).
	LockedBy int
	// InTx reports that this execution ran inside a transaction of its
	// own, begun on its connection: with LockedBy, a second transaction
	// waiting for a first that never ended.
	InTx bool
	// Beside, when not 0, is the Seq of the BEGIN of a transaction open on
	// another connection, which had written, when this read started: the
	// read sees the database as it was before that transaction, none of
	// its changes.
	Beside int
	// Pooled reports transaction control sent as SQL text ("BEGIN",
	// "COMMIT") through a *sql.DB, the pool, rather than through one
	// connection (a *sql.Conn) or a *sql.Tx: the pool may run the
	// statements after it on another connection, outside the transaction.
	Pooled bool
	// Batch, when not 0, is the Seq of the first statement of a text of
	// several that one call of Exec sent: SQLite ran them one at a time,
	// each an entry of its own, and each holds that Seq.
	Batch int
	// Sample holds the first rows a Query returned, as the driver gave
	// them, when the log keeps samples ([Log.KeepRows]).
	Sample [][]any

	// callers are the program counters of the goroutine that started the
	// execution, captured for the first executions of each SQL text
	// (see [Entry.Callers]).
	callers []uintptr
}

// Callers returns the frames of the code that started the execution,
// innermost first, or nil when they were not captured: the log captures
// them for the first few executions of each SQL text, which is all a
// listing shows, and resolves them into frames only here, when asked.
func (e Entry) Callers() *runtime.Frames {
	if len(e.callers) == 0 {
		return nil
	}
	return runtime.CallersFrames(e.callers)
}

// HasCallers reports whether the entry's call stack was captured.
func (e Entry) HasCallers() bool { return len(e.callers) > 0 }

// maxEntries bounds the memory a runaway loop can take. Past it, entries are
// still counted but no longer kept.
const maxEntries = 200_000

// Call stacks are captured for the first sitesPerText executions of each SQL
// text, and for at most maxSiteTexts texts: enough to say where every shape
// of statement comes from, without paying for a stack on each of the 10,000
// runs of a loop. maxSiteDepth frames reach past database/sql and sqlx into
// the code that called them.
const (
	sitesPerText = 3
	maxSiteTexts = 4096
	maxSiteDepth = 32
)

// Log records entries. The zero value is an empty log ready to use, and a Log
// is safe for use by several goroutines. A nil *Log records nothing.
type Log struct {
	mu      sync.Mutex
	entries []*Entry
	counted int   // statements, including those past maxEntries
	read    int64 // rows the queries returned, including those past maxEntries
	dropped int   // entries not kept because of maxEntries
	inside  time.Duration
	waited  time.Duration
	sites   map[string]uint8 // call stacks captured, by SQL text
	open    []*openTx        // transactions begun and not yet ended

	// KeepRows, when positive, keeps the first KeepRows rows each Query
	// returns in its entry's Sample. Set it before the log is used.
	KeepRows int

	// OpenOrdersReversed, when set, turns round every order the queries
	// on the log's connections leave open (see [TieBreak]). Set it before
	// the log is used.
	OpenOrdersReversed bool
	unreversed         int // queries whose open order could not be turned round

	fkOff map[*Conn]*Entry // connections whose foreign keys a statement turned off, and that statement

	failAt   int    // the write to fail (see FailWrite), 0 for none
	writes   int    // writes started since FailWrite
	injected *Entry // the write FailWrite made fail
}

// ErrInjected is the error of a statement that [Log.FailWrite] made fail.
// The learner's code sees it as it would see a full disk or a refused row.
var ErrInjected = errors.New("the checker made this statement fail on purpose, to see that a failure here leaves nothing behind")

// FailWrite makes the n-th statement that writes (see [Writes]) or
// commits, started on the log from now and counted from 1, fail with
// [ErrInjected] instead of running; a failed COMMIT of a *sql.Tx rolls its
// transaction back. n 0 makes none fail.
func (l *Log) FailWrite(n int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failAt, l.writes, l.injected = n, 0, nil
}

// Injected returns the entry of the statement [Log.FailWrite] made fail,
// and whether one was.
func (l *Log) Injected() (Entry, bool) {
	if l == nil {
		return Entry{}, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.injected == nil {
		return Entry{}, false
	}
	return *l.injected, true
}

// FailurePoint reports whether [Log.FailWrite] counts e: a statement that
// writes, or a COMMIT.
func FailurePoint(e Entry) bool {
	return e.Kind == KindCommit || e.Kind == KindStatement && Writes(e.SQL)
}

// inject returns ErrInjected when e is the write FailWrite chose, and nil
// otherwise.
func (l *Log) inject(e *Entry) error {
	if l == nil || e == nil || !FailurePoint(*e) {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failAt == 0 {
		return nil
	}
	l.writes++
	if l.writes != l.failAt {
		return nil
	}
	l.injected = e
	return ErrInjected
}

// Count returns how many statements (entries of KindStatement) were executed.
func (l *Log) Count() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counted
}

// RowsRead returns how many rows the log's queries returned to the
// program, counting those of entries past its limit too.
func (l *Log) RowsRead() int64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.read
}

// Entries returns a copy of every kept entry, transaction control included.
func (l *Log) Entries() []Entry {
	return l.filter(func(*Entry) bool { return true })
}

// Statements returns a copy of the kept entries of KindStatement.
func (l *Log) Statements() []Entry {
	return l.filter(func(e *Entry) bool { return e.Kind == KindStatement })
}

// Dropped reports how many entries were counted but not kept because the log
// was full.
func (l *Log) Dropped() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dropped
}

// Time returns the time every entry so far spent inside the driver (the sum
// of their Durations) and the simulated round trips they waited (the sum of
// their Waits), entries past the log's capacity included.
func (l *Log) Time() (inside, waited time.Duration) {
	if l == nil {
		return 0, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inside, l.waited
}

// Reset empties the log.
func (l *Log) Reset() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries, l.counted, l.dropped = nil, 0, 0
	l.inside, l.waited = 0, 0
	l.sites = nil
	l.unreversed = 0
	l.fkOff = nil
}

func (l *Log) filter(keep func(*Entry) bool) []Entry {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Entry
	for _, e := range l.entries {
		if keep(e) {
			c := *e
			c.Args = append([]any(nil), e.Args...)
			c.Sample = append([][]any(nil), e.Sample...)
			out = append(out, c)
		}
	}
	return out
}

// start records the beginning of an execution and returns its entry, which
// the caller completes with finish. It returns nil when l is nil.
func (l *Log) start(kind Kind, query string, args []driver.NamedValue, isQuery bool) *Entry {
	if l == nil {
		return nil
	}
	if kind == KindStatement {
		kind = controlKind(query)
	}
	e := &Entry{Kind: kind, SQL: query, Args: copyArgs(args), Query: isQuery}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch kind {
	case KindStatement:
		l.counted++
		l.captureCallers(e)
	case KindCommit:
		l.captureCallers(e) // where a commit came from: a deferred function commits on every return
	}
	e.Seq = len(l.entries) + l.dropped + 1
	if len(l.entries) >= maxEntries {
		l.dropped++
		return e
	}
	l.entries = append(l.entries, e)
	return e
}

// openTx is a transaction open on one connection of a log.
type openTx struct {
	begin int // the Seq of its BEGIN
	wrote bool
}

// beginTx records that a transaction began with the entry begin, and
// returns it.
func (l *Log) beginTx(begin *Entry) *openTx {
	if l == nil || begin == nil {
		return nil
	}
	t := &openTx{begin: begin.Seq}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open = append(l.open, t)
	return t
}

// endTx records that t ended.
func (l *Log) endTx(t *openTx) {
	if l == nil || t == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, o := range l.open {
		if o == t {
			l.open = append(l.open[:i], l.open[i+1:]...)
			break
		}
	}
}

// lockedBy sets e.LockedBy when e is a write outside the transaction mine
// (nil: none) while another transaction of the log has written, inside
// one or not (InTx), and e.Beside when e is a read there; and marks mine as
// having written when e writes inside it.
func (l *Log) lockedBy(e *Entry, mine *openTx) {
	if l == nil || e == nil {
		return
	}
	w := Writes(e.SQL)
	l.mu.Lock()
	defer l.mu.Unlock()
	e.InTx = mine != nil
	for _, o := range l.open {
		if o != mine && o.wrote {
			if w {
				e.LockedBy = o.begin
			} else {
				e.Beside = o.begin
			}
			break
		}
	}
	if mine != nil && w {
		mine.wrote = true
	}
}

// Writes reports whether a statement takes SQLite's write lock: one that
// begins INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP or ALTER, or WITH,
// which may end in any of them.
func Writes(query string) bool {
	switch strings.ToUpper(firstWord(query)) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "WITH":
		return true
	}
	return false
}

// captureCallers records the call stack that started e, for the first
// executions of its SQL text. l.mu is held.
func (l *Log) captureCallers(e *Entry) {
	n, seen := l.sites[e.SQL]
	if n >= sitesPerText || !seen && len(l.sites) >= maxSiteTexts {
		return
	}
	if l.sites == nil {
		l.sites = make(map[string]uint8)
	}
	l.sites[e.SQL] = n + 1
	var pcs [maxSiteDepth]uintptr
	// Skip runtime.Callers, captureCallers, start and the driver method.
	got := runtime.Callers(4, pcs[:])
	e.callers = append([]uintptr(nil), pcs[:got]...)
}

// keepRow adds a copy of row to e's sample when the log keeps samples and
// the sample is not full.
func (l *Log) keepRow(e *Entry, row []driver.Value) {
	if l == nil || e == nil || l.KeepRows <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(e.Sample) >= l.KeepRows {
		return
	}
	cp := make([]any, len(row))
	for i, v := range row {
		if b, ok := v.([]byte); ok {
			v = append([]byte(nil), b...)
		}
		cp[i] = v
	}
	e.Sample = append(e.Sample, cp)
}

// finish completes e: how long it took, how many rows it returned or
// changed, and its error. It adds to what an earlier call recorded, so that
// a query's rows can be reported in parts.
func (l *Log) finish(e *Entry, took time.Duration, rows int64, err error) {
	if l == nil || e == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Duration += took
	l.inside += took
	e.Rows += rows
	if e.Query {
		l.read += rows
	}
	if err != nil && e.Err == "" {
		e.Err = err.Error()
	}
}

// remove forgets e, for an execution the driver declined with ErrSkip (the
// database/sql package then retries it another way, which is recorded).
func (l *Log) remove(e *Entry) {
	if l == nil || e == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.entries) - 1; i >= 0; i-- {
		if l.entries[i] == e {
			l.entries = append(l.entries[:i], l.entries[i+1:]...)
			break
		}
	}
	if e.Kind == KindStatement {
		l.counted--
	}
	l.inside -= e.Duration
	l.waited -= e.Wait
}

// roundTrip waits d, a simulated network round trip, and records it on e. It
// stops early when ctx is done.
func (l *Log) roundTrip(ctx context.Context, e *Entry, d time.Duration) {
	if d <= 0 || l == nil || e == nil {
		return
	}
	began := time.Now()
	t := time.NewTimer(d)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
	}
	waited := time.Since(began)
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Wait += waited
	l.waited += waited
}

// controlKind classifies transaction control sent as SQL text. It runs for
// every statement, so it compares without allocating.
func controlKind(query string) Kind {
	word := firstWord(query)
	switch {
	case len(word) < 3 || len(word) > 9:
		return KindStatement
	case strings.EqualFold(word, "BEGIN"), strings.EqualFold(word, "SAVEPOINT"):
		return KindBegin
	case strings.EqualFold(word, "COMMIT"), strings.EqualFold(word, "END"), strings.EqualFold(word, "RELEASE"):
		return KindCommit
	case strings.EqualFold(word, "ROLLBACK"):
		return KindRollback
	}
	return KindStatement
}

func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t\r\n;(")
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	if end < 0 {
		return s
	}
	return s[:end]
}

func copyArgs(args []driver.NamedValue) []any {
	if len(args) == 0 {
		return nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		if b, ok := a.Value.([]byte); ok {
			out[i] = append([]byte(nil), b...)
			continue
		}
		out[i] = a.Value
	}
	return out
}

// sentThroughPool reports whether the goroutine's call stack runs through
// database/sql's (*DB).ExecContext or (*DB).QueryContext: a statement the
// pool gives to any connection. A *sql.Conn's or a *sql.Tx's statements
// reach the driver through (*DB).execDC too, but not through these.
func sentThroughPool() bool {
	pcs := make([]uintptr, 48)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		switch f.Function {
		case "database/sql.(*DB).ExecContext", "database/sql.(*DB).QueryContext", "database/sql.(*DB).exec", "database/sql.(*DB).query":
			return true
		case "database/sql.(*Conn).ExecContext", "database/sql.(*Conn).QueryContext", "database/sql.(*Tx).ExecContext", "database/sql.(*Tx).QueryContext":
			return false
		}
		if !more {
			return false
		}
	}
}

// markPooled sets e.Pooled.
// markBatch records that e is one statement of a text of several, whose
// first statement's Seq is *first (0 until e is that first statement).
func (l *Log) markBatch(e *Entry, first *int) {
	if l == nil || e == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if *first == 0 {
		*first = e.Seq
	}
	e.Batch = *first
}

func (l *Log) markPooled(e *Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Pooled = true
}

// foreignKeysPragma matches PRAGMA foreign_keys = value (or (value)), and
// captures the value.
var foreignKeysPragma = regexp.MustCompile(`(?i)^\s*PRAGMA\s+(?:"?main"?\.)?"?foreign_keys"?\s*(?:=\s*|\(\s*)['"]?(\w+)['"]?\s*\)?\s*;?\s*$`)

// noteForeignKeys records what a statement that ran on c did to its
// foreign keys: a PRAGMA foreign_keys that turns them off or on.
func (l *Log) noteForeignKeys(c *Conn, e *Entry, query string) {
	if l == nil || e == nil {
		return
	}
	m := foreignKeysPragma.FindStringSubmatch(query)
	if m == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch strings.ToLower(m[1]) {
	case "0", "off", "false", "no":
		if l.fkOff == nil {
			l.fkOff = map[*Conn]*Entry{}
		}
		if l.fkOff[c] == nil {
			l.fkOff[c] = e
		}
	case "1", "on", "true", "yes":
		delete(l.fkOff, c)
	}
}

// ForeignKeysLeftOff returns the first statement that turned a
// connection's foreign keys off (PRAGMA foreign_keys = OFF) where no later
// statement on that connection turned them on again, and whether there is
// one. On such a connection SQLite checks no REFERENCES and runs no ON
// DELETE rule.
func (l *Log) ForeignKeysLeftOff() (Entry, bool) {
	if l == nil {
		return Entry{}, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var first *Entry
	for _, e := range l.fkOff {
		if first == nil || e.Seq < first.Seq {
			first = e
		}
	}
	if first == nil {
		return Entry{}, false
	}
	return *first, true
}
