package checker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
	"workbook/internal/words"
)

// C is a check's view of one run: its private database, the log of the
// statements the learner's code ran, and the assertions. A check's body gets
// one C per data set.
type C struct {
	cfg   *config
	check Check
	data  string
	path  string
	rows  string // a copy of the data set, for LoadRows; "" unless StartEmpty
	log   *stmtlog.Log
	// mode says whether this run turns round the orders the learner's
	// queries leave open, and how.
	mode runMode
	// limitSaid is set once a failure has said a query's LIMIT cuts its
	// result (see limitNote).
	limitSaid bool
	// budgetRows is the rows of Check.BudgetPer's table the run started
	// with, which its budget is reckoned from.
	budgetRows int

	mu        sync.Mutex
	failures  []protocol.Failure
	stopped   bool // the run is over; later failures are dropped
	returned  bool // the body returned normally
	fatal     bool // the body was stopped by stop1
	call      string
	db        *sqlx.DB
	own       *sqlx.DB
	snapshots []*Snapshot
	notes     []string // added to the budget's explanation, if it is exceeded
	timings   []protocol.Timing
	score     *protocol.Score // a contract's mutation score (contract.go)
	// expected is the schema as the data set and the check's own
	// statements left it, to tell a check's failing statement that the
	// learner's code broke from one that is the lesson's fault (blame.go).
	expected schemaShape
	// objects is the schema's objects as the data set and the check's own
	// statements left them (schema.go).
	objects  schemaObjects
	endNotes []string // what the learner's code changed that it may not: schema, rows (schema.go)
	ordered  bool     // Expect compared a list whose order counts
	// compared holds what Expect compared so far and found right, and changes what the
	// check changed between calls of the learner's code (change.go).
	compared []any
	changes  []change
}

// comparedOrder reports whether Expect compared a list of two or more rows
// whose order counts.
func (c *C) comparedOrder() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ordered
}

// Data returns the name of the data set this run uses.
func (c *C) Data() string { return c.data }

// Path returns the file path of this run's private copy of the data set, for
// learner code that opens the database itself (with [DriverName]). Any other
// path is refused by that driver.
func (c *C) Path() string { return c.path }

// DB returns the learner's handle on this run's private database: foreign
// keys on (unless the check turns them off), every statement recorded and
// counted against the budget.
func (c *C) DB() *sqlx.DB {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == nil {
		c.db = c.cfg.handle.retarget(c.learnerDSN(), c.log, c.cfg.latency)
	}
	return c.db
}

// learnerBusyTimeout is how long a statement of the learner's waits for a
// lock before SQLite gives up with SQLITE_BUSY. Nothing else writes to a
// check's copy while the learner's code runs, so a wait is almost always
// for a lock the learner's own open transaction holds, which never comes:
// a second says so soon, instead of after many seconds of nothing.
const learnerBusyTimeout = time.Second

// learnerDSN is the DSN of the learner's handles on the run's database.
func (c *C) learnerDSN() string {
	return sqlite.DSN(c.path, sqlite.Options{ForeignKeys: !c.check.ForeignKeysOff, BusyTimeout: learnerBusyTimeout})
}

// Statements returns the statements the learner's code has run so far.
func (c *C) Statements() []stmtlog.Entry { return c.log.Statements() }

// ownDB returns the checker's own handle on the database: not counted, for
// looking at tables and setting them up.
func (c *C) ownDB() *sqlx.DB {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.own == nil {
		c.own = openOwn(sqlite.DSN(c.path, sqlite.Options{ForeignKeys: true, BusyTimeout: sqlite.DefaultBusyTimeout}))
	}
	return c.own
}

// Query runs a read of the check's own on the database into dest, as
// [sqlx.DB.Select] does. It is not counted. An error stops the check: as
// the learner's failure when their code dropped, renamed or retyped a table
// or column the query names, or left the database locked, said in words;
// otherwise as broken, the lesson's fault.
func (c *C) Query(dest any, query string, args ...any) {
	if err := c.ownDB().Select(dest, query, args...); err != nil {
		c.ownFailure(query, err)
	}
}

// Exec runs a statement of the check's own, to prepare the database before
// the learner's code runs. It is not counted. What it changes in the schema
// (a table the check drops, say) becomes what later statements of the
// check may rely on; an error stops the check as [C.Query]'s does.
func (c *C) Exec(query string, args ...any) {
	pre, _ := readShape(c.ownDB())
	preObjects, _ := readObjects(c.ownDB())
	if _, err := c.ownDB().Exec(query, args...); err != nil {
		c.ownFailure(query, err)
	}
	if post, err := readShape(c.ownDB()); err == nil && pre != nil && c.expected != nil {
		c.expected.follow(pre, post)
	}
	if post, err := readObjects(c.ownDB()); err == nil && preObjects != nil && c.objects != nil {
		c.objects.follow(preObjects, post)
	}
}

// NoError stops the check if err, returned by the learner's code, is not
// nil. call says what was called, such as `Report(db)`; the messages of
// later assertions name it too.
func (c *C) NoError(err error, call string) { c.noError(err, call, "") }

// NoErrorAdvice is [C.NoError] with the lesson's own advice for the error,
// shown in place of the checker's general explanation of it: what the
// lesson expects instead ("tagging twice must be harmless: ..."). When the
// checker finds a cause the advice cannot know of, a statement that waited
// for a lock the learner's own open transaction holds, it shows that cause
// instead.
func (c *C) NoErrorAdvice(err error, call, advice string) { c.noError(err, call, advice) }

func (c *C) noError(err error, call, advice string) {
	c.setCall(call)
	if err == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s returned an error:\n    %v\n", call, err)
	e, ok := c.lastFailedStatement()
	if ok {
		fmt.Fprintf(&b, "  The statement that failed:\n    %s\n", e.Line())
	}
	if why := c.lockWait(e); ok && why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	} else if why := c.besideNote(e); ok && why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	} else if why := c.tooManyVariables(err, e); ok && why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	} else if why := notJSON(err, e); ok && why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	} else if advice != "" {
		b.WriteString(indent(advice, "  ") + "\n")
	} else if why := explain(err, e.SQL); why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	}
	if why := c.collationNote(err); why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	}
	if e.Beside == 0 && e.LockedBy == 0 {
		// An earlier read beside the transaction may be where a wrong
		// value came from: last_insert_rowid() on another connection.
		if why := c.besideNote(c.firstBeside()); why != "" {
			b.WriteString(indent(why, "  ") + "\n")
		}
	}
	if why := nullScanNote(err, c.log.Entries()) + noRowsNote(err, c.log.Entries()); why != "" {
		b.WriteString(indent(why, "  ") + "\n")
	}
	c.stop1(protocol.KindError, strings.TrimRight(b.String(), "\n"))
}

// ErrorIs expects err, returned by the learner's code, to match target as
// [errors.Is] does: a refused write, for instance. It reports whether it did;
// the check goes on either way. The messages name target as Go code does
// (sql.ErrNoRows, context.Canceled), not by its text.
func (c *C) ErrorIs(err, target error, call string) bool {
	c.setCall(call)
	test := errorsIs(target)
	switch {
	case err == nil:
		c.fail(protocol.KindResult, fmt.Sprintf("%s returned no error, but it should have failed with an error for which\n"+
			"  %s is true.", call, test))
		return false
	case !errors.Is(err, target):
		c.fail(protocol.KindResult, fmt.Sprintf("%s returned the error %q, but %s is false.\n"+
			"  Return (or wrap, with fmt.Errorf(\"...: %%w\", ...)) the error the caller can test for.", call, err, test))
		return false
	}
	return true
}

// ErrorAs expects err, returned by the learner's code, to hold an error of
// the type target points to, as [errors.As] does, and sets *target to it. It
// reports whether it did; the check goes on either way.
func (c *C) ErrorAs(err error, target any, call string) bool {
	c.setCall(call)
	typ := typeName(target)
	switch {
	case err == nil:
		c.fail(protocol.KindResult, fmt.Sprintf("%s returned no error, but it should have failed with %s.", call, withArticle(typ)))
		return false
	case !errors.As(err, target):
		var b strings.Builder
		fmt.Fprintf(&b, "%s returned %q, which is not %s.\n", call, err, withArticle(typ))
		e, _ := c.lastFailedStatement()
		if why := explain(err, e.SQL); why != "" {
			b.WriteString(indent(why, "  ") + "\n")
		}
		fmt.Fprintf(&b, "  Callers cannot tell this failure from any other. Return %s\n  (errors.As finds it even when it is wrapped).", withArticle(typ))
		c.fail(protocol.KindResult, b.String())
		return false
	}
	return true
}

// withArticle puts "a" or "an" before a type's name: an *AccountNotFoundError.
func withArticle(typ string) string {
	if strings.ContainsAny(strings.ToLower(strings.TrimLeft(typ, "*[]")[:1]), "aeiou") {
		return "an " + typ
	}
	return "a " + typ
}

func typeName(target any) string {
	t := reflect.TypeOf(target)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "<nil>"
	}
	s := t.String()
	// Drop the package qualifier: the learner knows the type by its name.
	if i := strings.LastIndex(s, "."); i >= 0 {
		star := strings.TrimRight(s[:i], "abcdefghijklmnopqrstuvwxyz0123456789_")
		s = star + s[i+1:]
	}
	return s
}

// Expect compares got, returned by the learner's code, with the expected
// result kept at expected/<check>/<data set>.json in the lesson's folder.
// The options set the row-order policy (Ordered, the default, or AnyOrder)
// and more; see [Option].
func (c *C) Expect(got any, opts ...Option) {
	o := compareOptions{}
	for _, opt := range opts {
		opt.apply(&o)
	}
	file := c.expectedFile(o.name)
	gotJSON, err := json.Marshal(got)
	var gotV any
	if err == nil {
		gotV, err = rowdiff.Parse(gotJSON)
	}
	if err != nil {
		c.fail(protocol.KindResult, fmt.Sprintf("%s returned a value the checker cannot compare: %v", c.callName(), err))
		return
	}
	write := c.cfg.updateFile(file, c.data)
	if write == "" && c.cfg.update {
		write = file
	}
	if write != "" {
		err := os.MkdirAll(filepath.Dir(write), 0o755)
		if err == nil {
			err = os.WriteFile(write, rowdiff.Marshal(gotV), 0o644)
		}
		if err != nil {
			c.fail(protocol.KindBroken, fmt.Sprintf("checker: writing %s: %v", c.cfg.rel(write), err))
		}
		return
	}
	data, err := c.cfg.readExpected(file)
	if err != nil {
		c.fail(protocol.KindBroken, fmt.Sprintf("checker: no expected result %s (lesson authors: generate it from the reference solution with `workbook dev expected`)", c.cfg.rel(file)))
		return
	}
	want, err := rowdiff.Parse(data)
	if err != nil {
		c.fail(protocol.KindBroken, fmt.Sprintf("checker: %s: %v", c.cfg.rel(file), err))
		return
	}
	if rowdiff.HasOrderedList(want, o.diff) {
		c.mu.Lock()
		c.ordered = true
		c.mu.Unlock()
	}
	if !c.sortsInGo() {
		o.diff.Sent = sentOrder(c.log.Statements())
	}
	var d *rowdiff.Diff
	if !bytes.Equal(rowdiff.Marshal(gotV), data) {
		// The expected file is what the reference returned, written the
		// same way: a result that writes the same bytes is equal to it.
		d = rowdiff.Compare(gotV, want, o.diff)
	}
	defer c.remember(gotV, d == nil)
	c.heldNote()
	defer c.cfg.held.hold(heldResult{check: c.check.Name, data: c.data, call: c.callName(), value: got, then: gotJSON, diff: o.diff})
	if d != nil {
		msg := fmt.Sprintf("%s returned the wrong result (%s compared %s):\n%s",
			c.callName(), words.Plural(nounOf(o.diff)), orderWords(o.diff.Order), indent(d.String(), "  "))
		kept := false // the result was kept from an earlier call
		if why := c.staleNote(gotV, o.diff); why != "" {
			msg += "\n" + indent(why, "  ")
			kept = true
		} else if why := c.elsewhereNote(gotV, want, o.diff); why != "" {
			msg += "\n" + indent(why, "  ")
			kept = true
		}
		if why := c.joinNote(gotV, want, o.diff); why != "" {
			msg += "\n" + why
		}
		if why := c.leftFilterNote(gotV, want); why != "" {
			msg += "\n" + indent(why, "  ")
		}
		if why := c.caseNote(d); why != "" {
			msg += "\n" + indent(why, "  ")
		}
		if why := emptyValueNote(gotV, want); why != "" {
			msg += "\n" + indent(why, "  ")
		}
		if why := ownJSONNote(got, data, want, o.diff); why != "" {
			// Rows of a mistake, read into the same type, would be
			// changed the same way: no mistake can be told from it.
			msg += "\n" + indent(why, "  ")
		} else if why := c.mistakeNote(got, gotV, want, o); why != "" {
			msg += "\n" + indent(why, "  ")
		}
		if o.cause != "" {
			msg += "\n" + indent(o.cause, "  ")
		}
		if why := c.besideNote(c.firstBeside()); why != "" {
			msg += "\n" + indent(why, "  ")
		}
		orderOnly := sameRows(gotV, want, o.diff)
		if why := c.unorderedNote(o.diff, strings.Contains(d.String(), rowdiff.ByteOrder)); orderOnly && why != "" {
			msg += "\n" + why
		} else if why := c.mode.note(c.data, c.goSortCall()); why != "" {
			msg += "\n" + why
		}
		if why := c.limitNote(nounOf(o.diff)); why != "" && c.sayOnce(&c.limitSaid) {
			msg += "\n" + indent(why, "  ")
		} else if why := c.boundNote(nounOf(o.diff)); why != "" && c.sayOnce(&c.limitSaid) {
			msg += "\n" + indent(why, "  ")
		}
		if why := c.keptNote(gotV, nounOf(o.diff)); why != "" {
			msg += "\n" + indent(why, "  ")
		}
		c.failWith(newFailure(c.data, protocol.KindResult, msg), func(f *protocol.Failure) {
			// A result kept from another call is wrong on any data set
			// but the first: not for a case the hidden data holds.
			f.OrderOnly, f.AnyData = orderOnly, kept
		})
		return
	}
	if why := c.keptNote(gotV, nounOf(o.diff)); why != "" {
		c.fail(protocol.KindResult, why)
	} else if why := c.limitNote(nounOf(o.diff)); why != "" && c.sayOnce(&c.limitSaid) {
		c.fail(protocol.KindResult, why)
	} else if why := c.boundNote(nounOf(o.diff)); why != "" && c.sayOnce(&c.limitSaid) {
		c.fail(protocol.KindResult, why)
	}
}

// sayOnce reports whether *said was false, and sets it: for a note a check
// gives once however many results it compares.
func (c *C) sayOnce(said *bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	first := !*said
	*said = true
	return first
}

// sameRows reports whether got holds the rows of want, at every level,
// and only their order differs.
func sameRows(got, want any, opt rowdiff.Options) bool {
	opt.Order, opt.Nested = rowdiff.AnyOrder, nil
	return rowdiff.Compare(got, want, opt) == nil
}

// unorderedNote explains right rows in the wrong order that came from
// queries without an ORDER BY: SQLite's order is whatever it reads, and
// the checks turn it around. It returns "" when every query of the
// learner's that returned rows has an ORDER BY.
//
// caseFolded says the difference holds text put in order without case.
func (c *C) unorderedNote(opt rowdiff.Options, caseFolded bool) string {
	var without *stmtlog.Entry
	for _, e := range c.log.Statements() {
		if e.Query && e.Rows > 1 && !stmtlog.OrderedAtTop(e.SQL) {
			without = &e
		}
	}
	if without == nil {
		return ""
	}
	var b strings.Builder
	if hasOrderBy(without.SQL) {
		fmt.Fprintf(&b, "Statement %d returned %s, and its only ORDER BY is inside parentheses:\n    %s\n", without.Seq,
			protocol.Counted(int(without.Rows), "row"), stmtlog.Shorten(without.SQL, 110))
		b.WriteString("  An ORDER BY in a subquery, a WITH table or a window orders the rows there, not the\n" +
			"  result: the outer query may return them in any order. Put the ORDER BY at the end of\n" +
			"  the outer query.\n")
	} else {
		fmt.Fprintf(&b, "Statement %d returned %s and has no ORDER BY:\n    %s\n", without.Seq,
			protocol.Counted(int(without.Rows), "row"), stmtlog.Shorten(without.SQL, 110))
	}
	b.WriteString("  Without one, SQLite returns rows in whatever order it happens to read them, and the\n" +
		"  checks make that order another one (PRAGMA reverse_unordered_selects, and a run that\n" +
		"  hands the rows back last first), so that an order nobody asked for shows.\n  ")
	if call := c.goSortCall(); call != "" {
		// The result's order is the Go sort's: an ORDER BY on the query
		// would not reach it, and its aliases are not the query's.
		fmt.Fprintf(&b, "Your file sorts in Go (%s), so the result's order is that sort's: rows its\n"+
			"  comparison calls equal keep the order they reached it in (a stable sort) or come in any\n"+
			"  order (sort.Slice). ", call)
		if caseFolded {
			b.WriteString("Here it compares text without case, where the order asked for compares\n" +
				"  it byte by byte, as SQLite does: compare the strings as they are (a < b, strings.Compare),\n" +
				"  not their strings.ToLower.")
		} else {
			b.WriteString("Make it compare every key the order asks for, in that order, or\n" +
				"  let an ORDER BY do it all.")
		}
		return b.String()
	}
	if keys := opt.OrderBy[""]; len(keys) > 0 {
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.Term
			if k.Desc {
				names[i] += " DESC"
			}
		}
		fmt.Fprintf(&b, "Say the order: ORDER BY %s.", strings.Join(names, ", "))
	} else {
		b.WriteString("Say the order the lesson asks for with ORDER BY.")
	}
	return b.String()
}

// goSorts matches a call of Go's sorting functions.
var goSorts = regexp.MustCompile(`\b(?:sort\.(?:Slice|SliceStable|Sort|Stable)|slices\.(?:Sort|SortFunc|SortStableFunc|SortedFunc|SortedStableFunc))\(`)

// sortsInGo reports whether the learner's files call one of Go's sorting
// functions.
func (c *C) sortsInGo() bool { return c.goSortCall() != "" }

// goSortCall names the first call of one of Go's sorting functions in the
// learner's files, with its file and line ("sort.Slice at
// lessons/04-join-filter/expenses.go:27"), or returns "" when they make none.
func (c *C) goSortCall() string {
	for _, f := range c.cfg.learnerFiles {
		src, err := c.cfg.readLearner(f)
		if err != nil {
			continue
		}
		if m := goSorts.FindIndex(src); m != nil {
			line := 1 + bytes.Count(src[:m[0]], []byte("\n"))
			return fmt.Sprintf("%s at %s:%d", src[m[0]:m[1]-1], c.cfg.rel(f), line)
		}
	}
	return ""
}

// hasOrderBy reports whether a statement's text has an ORDER BY outside
// its string literals.
func hasOrderBy(query string) bool {
	return orderByWords.MatchString(stmtlog.Shape(query))
}

var orderByWords = regexp.MustCompile(`(?i)\border\s+by\b`)

// Equal compares a value the check computed from the learner's result (a
// count, a field) with want. what names the value in the message.
func (c *C) Equal(got, want any, what string) {
	gv, err1 := rowdiff.FromGo(got)
	wv, err2 := rowdiff.FromGo(want)
	if err := errors.Join(err1, err2); err != nil {
		c.fail(protocol.KindBroken, fmt.Sprintf("checker: comparing %s: %v", what, err))
		return
	}
	if d := rowdiff.Compare(gv, wv, rowdiff.Options{}); d != nil {
		msg := d.String()
		if strings.HasPrefix(msg, "the result is ") {
			msg = what + " is " + strings.TrimPrefix(msg, "the result is ")
		} else {
			msg = what + ":\n" + indent(msg, "  ")
		}
		c.fail(protocol.KindResult, msg)
	}
}

// Errorf records a failure of the learner's result in the check's own words
// and lets the check go on.
func (c *C) Errorf(format string, args ...any) {
	c.fail(protocol.KindResult, fmt.Sprintf(format, args...))
}

// Fatalf records a failure of the learner's result in the check's own words
// and stops the check.
func (c *C) Fatalf(format string, args ...any) {
	c.stop1(protocol.KindResult, fmt.Sprintf(format, args...))
}

func orderWords(o rowdiff.Order) string {
	if o == rowdiff.AnyOrder {
		return "in any order"
	}
	return "in order"
}

func nounOf(o rowdiff.Options) string {
	if o.Noun == "" {
		return "row"
	}
	return o.Noun
}

func (c *C) expectedFile(name string) string {
	return c.cfg.layout().ExpectedFile(c.check.Name, c.data, name)
}

// layout returns a lesson of lessonDir alone, for the paths in the folder
// that keeps the expected results: outside a lesson's folder (the
// checker's own tests) cfg.lesson is nil, and lessonDir is the folder
// either way.
func (cfg *config) layout() *lesson.Lesson {
	return &lesson.Lesson{Dir: cfg.lessonDir}
}

func (c *C) setCall(call string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.call = call
}

func (c *C) callName() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.call == "" {
		return "your code"
	}
	return c.call
}

func (c *C) lastFailedStatement() (stmtlog.Entry, bool) {
	entries := c.log.Entries()
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Err != "" {
			return entries[i], true
		}
	}
	return stmtlog.Entry{}, false
}

// lockWait explains a statement that failed because it waited for a lock
// the learner's own transaction held, or returns "".
func (c *C) lockWait(e stmtlog.Entry) string {
	if e.LockedBy == 0 {
		return ""
	}
	var b strings.Builder
	where := ""
	if site := c.cfg.sites().of(e); site != nil {
		where = " (" + site.Where() + ")"
	}
	if e.Err != "" && !lockError(e.Err) {
		// It failed before any wait: on its connection the open
		// transaction's work is not there, a table it created included.
		fmt.Fprintf(&b, "Statement %d%s was sent through db, not through the transaction begun at statement %d,\n"+
			"which had written and was still open. It ran on another connection of the pool, which sees\n"+
			"the database as it was before the transaction: none of its changes until COMMIT, not even a\n"+
			"table it created. So it failed: %s.\n"+
			"Send every statement of a transaction through it: tx.Exec, tx.Get, tx.Select.", e.Seq, where, e.LockedBy, e.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "Statement %d waited for a lock your own transaction holds, until SQLite gave up.\n", e.Seq)
	if e.InTx {
		fmt.Fprintf(&b, "The transaction begun at statement %d had written and was still open: nothing committed\n"+
			"it or rolled it back. Statement %d ran in another transaction, on another connection of\n"+
			"the pool, which must wait for the first to end, and it never does.\n", e.LockedBy, e.Seq)
		if site := c.cfg.sites().of(e); site != nil {
			fmt.Fprintf(&b, "    statement %d: %s\n", e.Seq, site.Where())
		}
		b.WriteString("End every transaction you begin: defer tx.Rollback() right after Begin, and return\n" +
			"tx.Commit() when the work is done.")
		return b.String()
	}
	fmt.Fprintf(&b, "The transaction begun at statement %d had written and was still open. ", e.LockedBy)
	fmt.Fprintf(&b, "Statement %d%s was sent\n"+
		"through db, not through the transaction, so it ran on another connection of the pool, which\n"+
		"must wait for the transaction to end, while the transaction waits for it.\n"+
		"Send every statement of a transaction through it: tx.Exec, tx.Get, tx.Select.", e.Seq, where)
	return b.String()
}

// lockError reports whether a statement's error text is SQLite giving up
// on a lock (SQLITE_BUSY or SQLITE_LOCKED).
func lockError(text string) bool {
	t := strings.ToLower(text)
	return strings.Contains(t, "locked") || strings.Contains(t, "busy")
}

// besideNote explains a read, e, that the learner's code sent through db
// while a transaction of theirs, on another connection, was open and had
// written: the read sees none of that transaction's changes. It returns ""
// for any other statement.
func (c *C) besideNote(e stmtlog.Entry) string {
	if e.Beside == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Statement %d ran while the transaction begun at statement %d was open and had written, but\n"+
		"not in it: it went to another connection of the pool, which sees the database as it was\n"+
		"before the transaction, none of its changes until COMMIT.\n", e.Seq, e.Beside)
	if site := c.cfg.sites().of(e); site != nil {
		fmt.Fprintf(&b, "    statement %d: %s\n", e.Seq, site.Where())
	}
	if strings.Contains(strings.ToLower(e.SQL), "last_insert_rowid") {
		b.WriteString("last_insert_rowid() answers for the connection it runs on, and that one inserted nothing.\n" +
			"Take the id from the INSERT's own result (res.LastInsertId()), or ask through the transaction.")
		return b.String()
	}
	b.WriteString("Send every statement of the work through the transaction: tx.Get, tx.Select, tx.Exec.")
	return b.String()
}

// firstBeside returns the first read of the learner's that ran beside an
// open transaction of theirs (see besideNote), or the zero Entry.
func (c *C) firstBeside() stmtlog.Entry {
	for _, e := range c.log.Statements() {
		if e.Beside != 0 {
			return e
		}
	}
	return stmtlog.Entry{}
}

// maxMessage bounds a failure's message: a learner's error text can be as
// long as it likes, a report cannot.
const maxMessage = 8 << 10

// fail records a failure and lets the check go on.
func (c *C) fail(kind protocol.Kind, msg string) {
	c.failWith(newFailure(c.data, kind, msg), nil)
}

// failWith records f, after set (when not nil) has filled in what only the
// caller knows, and lets the check go on.
func (c *C) failWith(f protocol.Failure, set func(*protocol.Failure)) {
	if msg := f.Message; len(msg) > maxMessage {
		f = newFailure(f.Data, f.Kind, strings.ToValidUTF8(msg[:maxMessage], "")+fmt.Sprintf("\n… (%d more bytes cut)", len(msg)-maxMessage))
	}
	if set != nil {
		set(&f)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	c.failures = append(c.failures, f)
}

// stop1 records a failure and ends the body, as t.FailNow does.
func (c *C) stop1(kind protocol.Kind, msg string) {
	c.fail(kind, msg)
	c.mu.Lock()
	c.fatal = true
	c.mu.Unlock()
	runtime.Goexit()
}

// stoppedByCheck reports whether the body ended through stop1.
func (c *C) stoppedByCheck() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fatal
}

// stop ends the run: later failures (from a body that timed out and still
// runs) are dropped. It returns the failures recorded.
func (c *C) stop() []protocol.Failure {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	return append([]protocol.Failure(nil), c.failures...)
}

// close releases the handles and snapshots of a body that has returned.
func (c *C) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.snapshots {
		s.close()
	}
	if c.db != nil {
		c.cfg.handle.release(c.db)
	}
	if c.own != nil {
		c.own.Close()
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// BudgetNote adds a paragraph to this run's explanation of a statement budget
// exceeded, and is shown only then. Use it to say why a statement the check
// spotted is one the database would have run for free, such as a DELETE of
// rows a cascade removes anyway, without failing the output for it.
func (c *C) BudgetNote(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// addTiming keeps what a speed or growth check measured, for the verdict.
func (c *C) addTiming(t protocol.Timing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timings = append(c.timings, t)
}

// budgetNotes returns the notes for the budget's explanation, each as a
// paragraph of its own.
func (c *C) budgetNotes() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, n := range c.notes {
		b.WriteString("\n")
		b.WriteString(strings.TrimRight(n, "\n"))
	}
	return b.String()
}

// mistakeNote returns the explanation of the first of o's mistakes whose
// query gives the rows got has, in any order, and not the rows want has
// (on data without the mistake's trap, the mistake gives the right rows,
// and says nothing of a result that is wrong in another way), or "" when
// none does.
// ownJSONNote explains a wrong result whose type is itself the cause: the
// expected result (its JSON, data), read into the type of got and written
// back, is no longer the expected result, so the type changes what the
// checker compares on the way (json tags that rename fields, a MarshalJSON
// method, a field left out). It returns "" otherwise, or when the expected
// result does not fit the type at all.
func ownJSONNote(got any, data []byte, want any, opt rowdiff.Options) string {
	t := reflect.TypeOf(got)
	if t == nil {
		return ""
	}
	p := reflect.New(t)
	if err := json.Unmarshal(data, p.Interface()); err != nil {
		return ""
	}
	back, err := rowdiff.FromGo(p.Elem().Interface())
	if err != nil || rowdiff.Compare(back, want, opt) == nil {
		return ""
	}
	return fmt.Sprintf("The expected result itself, read into your type (%s) and written back as JSON, is not the\n"+
		"expected result: the checker compares results in their JSON form, and your type changes it (json\n"+
		"tags that rename its fields, a MarshalJSON method, or a field it lacks or does not export). Give\n"+
		"it the fields the lesson's type has, under their names, without json tags or MarshalJSON.", t)
}

func (c *C) mistakeNote(got, gotV, want any, o compareOptions) string {
	t := reflect.TypeOf(got)
	if len(o.mistakes) == 0 || t == nil || t.Kind() != reflect.Slice {
		return ""
	}
	loose := o.diff
	loose.Order = rowdiff.AnyOrder
	loose.Nested = nil
	var whys []string
	for _, m := range o.mistakes {
		rows := reflect.New(t)
		if err := c.ownDB().Select(rows.Interface(), m.query, m.args...); err != nil {
			c.fail(protocol.KindBroken, fmt.Sprintf("checker: the query of a mistake the check names failed: %v\n    %s", err, m.query))
			return ""
		}
		v, err := rowdiff.FromGo(rows.Elem().Interface())
		if err != nil {
			continue
		}
		if rowdiff.Compare(gotV, v, loose) == nil && rowdiff.Compare(v, want, loose) != nil {
			whys = append(whys, m.why)
		}
	}
	switch len(whys) {
	case 0:
		return ""
	case 1:
		return whys[0]
	}
	// The data cannot tell these mistakes apart: name each, not one by luck.
	msg := "On this data more than one mistake gives exactly this result; one of these is yours:"
	for _, why := range whys {
		msg += "\n- " + strings.ReplaceAll(why, "\n", "\n  ")
	}
	return msg
}
