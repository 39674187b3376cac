package checker

import (
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// Speed compares how long the learner's code takes with how long the
// lesson's reference implementation takes, for [C.ExpectSpeed].
type Speed struct {
	// Reference is the lesson's own implementation, written in the check
	// file itself (never read from solutions/). Learners can read it; what
	// the check asks of them is its speed, not its secret.
	Reference func(db *sqlx.DB) error
	// Learner calls the learner's code.
	Learner func(db *sqlx.DB) error
	// Ratio is how many times the reference's time the learner's code may
	// take: 3 allows up to three times as long. Zero means
	// DefaultSpeedRatio.
	Ratio float64
	// Runs is how many times each is timed, alternately, after one run of
	// each that warms the caches and is not timed. Zero means
	// DefaultSpeedRuns. Code so slow that the runs so far leave no doubt
	// (every run more than twice past the ratio) is not run again, and
	// neither is code so fast (every run of it, in each order, within half
	// the ratio of every run of the reference).
	Runs int
	// Vary, when its Table is set, is a swap the check makes on the
	// learner's copy before each run of the learner's code there, each
	// time with the next pair of rows: no two runs meet the same content,
	// so a result kept by the content of the data (a hash of every row
	// read) is never timed in place of the work. The swap must leave the
	// work as it was (two amounts of two users).
	Vary FreshChange
}

// Defaults of [Speed]. The ratio is generous: a right answer takes about
// as long as the reference, and the ratio is there to catch work that grows
// faster than the data, which takes many times as long.
const (
	DefaultSpeedRatio = 3
	DefaultSpeedRuns  = 5
)

// minReference is the least time a reference is taken to need. Below it,
// the scheduler's noise is a large part of any measurement, and a ratio of
// two such times says little.
const minReference = time.Millisecond

// clock measures the time a function takes.
type clock struct {
	what string               // what it measures, for messages: "CPU time"
	now  func() time.Duration // a reading; only differences mean anything
}

// ExpectSpeed fails the check when the learner's code takes more than
// s.Ratio times as long as the lesson's reference implementation. Both run
// alternately, several times, in this process and on this run's database,
// with the same kind of handle as [C.DB] (not counted); their medians are
// compared. So the speed of the machine does not matter, only the ratio,
// and the check never states an absolute time. Where the system reports it
// (Linux, macOS, the BSDs), the time measured is the process's CPU time,
// which other programs on a busy machine do not inflate.
//
// Call it after the learner's code has run once through [C.DB] and its
// result was checked: the timed runs are not counted, and their results
// are not compared.
func (c *C) ExpectSpeed(s Speed) {
	if s.Reference == nil || s.Learner == nil {
		c.stop1(protocol.KindBroken, "checker: ExpectSpeed needs both a Reference and a Learner function")
	}
	ratio, runs := s.Ratio, s.Runs
	if ratio <= 0 {
		ratio = DefaultSpeedRatio
	}
	if runs <= 0 {
		runs = DefaultSpeedRuns
	}
	checked := c.log.Count() // what the learner's code ran when its result was checked
	timing := new(stmtlog.Log)
	db := c.timingDB(timing)
	defer db.Close()
	dir := c.timingDir()
	defer os.RemoveAll(dir)
	refLog := new(stmtlog.Log)
	refDB := c.timingDBAt(c.referenceCopy(dir, func(dir string) (string, error) { return c.cfg.seeds.freshCopy(c.data, dir) }), refLog)
	defer refDB.Close()
	t := c.timer()
	on := timedDB{db: db, log: timing, data: c.data, want: checked, wantRows: c.log.RowsRead(), vary: s.Vary, varied: new(int)}
	onRef := timedDB{db: refDB, log: refLog, data: c.data}
	timed := func(f func(*sqlx.DB) error, learner bool) time.Duration {
		if learner {
			return t.run(f, on, true)
		}
		return t.run(f, onRef, false)
	}
	timed(s.Reference, false) // warm-up
	if refLog.Count() > 0 {
		on.want = max(checked, 1) // what the reference reads, the learner's code must read too
	}
	timed(s.Learner, true)
	var ref, got []time.Duration
	for i := 0; i < runs; i++ {
		// Take turns going first, so that neither always runs right after
		// the other has filled (or emptied) the caches.
		if i%2 == 0 {
			ref = append(ref, timed(s.Reference, false))
			got = append(got, timed(s.Learner, true))
		} else {
			got = append(got, timed(s.Learner, true))
			ref = append(ref, timed(s.Reference, false))
		}
		if clearlyTooSlow(ref, got, ratio) || clearlyFastEnough(ref, got, ratio) {
			break // more runs could not change the verdict, only take time
		}
	}
	v := judgeSpeed(ref, got, ratio)
	c.addTiming(protocol.Timing{Kind: protocol.TimingSpeed, Data: c.data, Runs: len(got), Clock: t.clk.what,
		Learner: protocol.Duration(v.learner), Reference: protocol.Duration(v.reference),
		Ratio: v.ratio, Limit: v.limit, Held: v.ok})
	if !v.ok {
		c.fail(protocol.KindResult, v.message(t.call, t.clk.what, len(got)))
	}
}

// decisive is how many times past the ratio every run of the learner's code
// must be, against every run of the reference, for the runs so far to
// decide: no measuring noise comes near it.
const decisive = 2

// clearlyTooSlow reports whether the runs so far decide that the learner's
// code is too slow: its fastest run took more than decisive × limit times
// the reference's slowest.
func clearlyTooSlow(ref, got []time.Duration, limit float64) bool {
	if len(ref) == 0 || len(got) == 0 {
		return false
	}
	return float64(slices.Min(got)) > decisive*limit*float64(max(slices.Max(ref), minReference))
}

// decidedRuns is how many runs of each, taken in both orders, may decide
// that code is fast enough.
const decidedRuns = 2

// clearlyFastEnough reports whether the runs so far decide that the
// learner's code is fast enough: there are decidedRuns of each at least,
// and its slowest run took at most limit / decisive times the reference's
// fastest.
func clearlyFastEnough(ref, got []time.Duration, limit float64) bool {
	if len(ref) < decidedRuns || len(got) < decidedRuns {
		return false
	}
	return decisive*float64(slices.Max(got)) <= limit*float64(max(slices.Min(ref), minReference))
}

// timer times runs of the reference and of the learner's code, for
// [C.ExpectSpeed] and [C.ExpectGrowth].
type timer struct {
	c    *C
	clk  clock
	call string // the learner's call, for messages: "BudgetReport(db)"
}

// timer returns a timer of c's runs, by the configured clock or else by
// the process's CPU time.
func (c *C) timer() timer {
	clk := c.cfg.clock
	if clk.now == nil {
		clk = processClock()
	}
	return timer{c: c, clk: clk, call: c.callName()}
}

// timedDB is a handle the timed runs use, with what a run of the learner's
// code must do there.
type timedDB struct {
	db   *sqlx.DB
	log  *stmtlog.Log // where the handle's statements go
	data string       // the data set, for messages
	want int          // the least statements a learner's run must run (see expectWork)
	// wantRows, when not 0, is how many rows the learner's code read when
	// its result was checked on this data: a timed run must read as many.
	wantRows int64
	// vary is the swap made before each run of the learner's code (see
	// [Speed.Vary]); varied counts those made so far.
	vary   FreshChange
	varied *int
}

// varyContent changes the content of on's copy before a run of the
// learner's code, as on.vary says (see [Speed.Vary]).
func (t timer) varyContent(on timedDB) {
	if on.vary.Table == "" {
		return
	}
	if err := varyContent(on.db, on.vary, *on.varied); err != nil {
		t.c.stop1(protocol.KindBroken, fmt.Sprintf("checker: varying %s between timed runs: %v", on.data, err))
	}
	*on.varied++
}

// run times one run of f on on.db, starting on a clean heap (no garbage of
// the run before). An error of the learner's code fails the check as
// [C.NoError] does, and so does a run that did not do the work (see
// [C.expectWork]); an error of the reference is the lesson's fault.
func (t timer) run(f func(*sqlx.DB) error, on timedDB, learner bool) time.Duration {
	if learner {
		t.varyContent(on)
	}
	runtime.GC()
	before, read := on.log.Count(), on.log.RowsRead()
	start := t.clk.now()
	err := f(on.db)
	took := t.clk.now() - start
	t.judgeRun(err, on, work{on.log.Count() - before, on.log.RowsRead() - read}, learner)
	return took
}

// work is what one timed run of code sent and read.
type work struct {
	statements int
	rows       int64
}

// capProbe is how often [timer.runCapped] reads the clock while the
// learner's code runs.
const capProbe = 10 * time.Millisecond

// runCapped times one run of the learner's code f on on, as run does, but
// stops waiting for it once it has taken limit by t's clock, by which time
// the caller's verdict is decided: a run of code whose time grows with the
// square of the data can take minutes on a large set. It reports whether it
// stopped waiting; took is then limit, and the run goes on, on a goroutine
// of its own, until it returns or the program ends (as the body of a check
// that timed out does).
func (t timer) runCapped(f func(*sqlx.DB) error, on timedDB, limit time.Duration) (took time.Duration, capped bool) {
	type result struct {
		err      error
		took     time.Duration
		returned bool
		panic    any
		pcs      []uintptr
	}
	t.varyContent(on)
	runtime.GC()
	before, read := on.log.Count(), on.log.RowsRead()
	done := make(chan result, 1)
	start := t.clk.now()
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				pcs := make([]uintptr, 64)
				r.panic, r.pcs = p, pcs[:runtime.Callers(1, pcs)]
			}
			done <- r
		}()
		r.err = f(on.db)
		r.took, r.returned = t.clk.now()-start, true
	}()
	finish := func(r result) (time.Duration, bool) {
		switch {
		case r.panic != nil:
			t.c.stop1(protocol.KindPanic, t.c.cfg.describePanic(r.panic, r.pcs))
		case !r.returned:
			t.c.stop1(protocol.KindPanic, "Your code ended the goroutine of a timed run without returning (runtime.Goexit),\n"+
				"  so it could not be timed.")
		}
		t.judgeRun(r.err, on, work{on.log.Count() - before, on.log.RowsRead() - read}, true)
		return r.took, false
	}
	tick := time.NewTicker(capProbe)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			return finish(r)
		case <-tick.C:
			if t.clk.now()-start <= limit {
				continue
			}
			select {
			case r := <-done:
				return finish(r)
			default:
				return limit, true
			}
		}
	}
}

// judgeRun stops the check after a timed run that returned err, or after a
// run of the learner's code that did less work on on than on.want and
// on.wantRows ask (see expectWork).
func (t timer) judgeRun(err error, on timedDB, did work, learner bool) {
	switch {
	case err != nil && learner:
		t.c.NoError(err, t.call)
	case err != nil:
		t.c.stop1(protocol.KindBroken, fmt.Sprintf("checker: the reference implementation failed: %v", err))
	case learner:
		t.c.expectWork(t.call, did, on)
	}
}

// timingDB opens a handle on the run's database like [C.DB]'s, but with no
// log, for the timed runs.
//
// Its statements go to log, which nothing judges but expectWork.
func (c *C) timingDB(log *stmtlog.Log) *sqlx.DB {
	return sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(c.learnerDSN(), log, learnerSetup)), "sqlite3")
}

// timingDir makes a folder for the copies a timing check's reference runs
// on; the caller removes it.
func (c *C) timingDir() string {
	dir, err := os.MkdirTemp(c.cfg.scratchDir(), "workbook-timing-")
	if err != nil {
		c.stop1(protocol.KindBroken, fmt.Sprintf("checker: %v", err))
	}
	return dir
}

// referenceCopy makes, with make, a copy of a data set in a folder of its
// own under dir, for the reference's timed runs alone, and returns its
// path. The learner's code is timed on other copies, so nothing it does to
// the database it is given (an index dropped, rows added) can slow the
// reference, or speed it, and so move the learner's ratio.
func (c *C) referenceCopy(dir string, make func(dir string) (string, error)) string {
	sub, err := os.MkdirTemp(dir, "reference-")
	if err != nil {
		c.stop1(protocol.KindBroken, fmt.Sprintf("checker: %v", err))
	}
	path, err := make(sub)
	if err != nil {
		c.stop1(protocol.KindBroken, err.Error())
	}
	// Not in the registry of copies: the learner's code cannot open it.
	return path
}

// expectWork stops a timing whose run of the learner's code ran fewer
// statements than it did when its result was checked (checked of them, on
// data): code that gives back what an earlier call computed, kept in a
// package-level variable, takes no time, and its time says nothing about
// the work. A run of no statement at all is stopped whatever checked is:
// a result read from the database asks it something.
func (c *C) expectWork(call string, did work, on timedDB) {
	ran, checked, data := did.statements, on.want, on.data
	var what string
	switch {
	case ran == 0 && checked > 0:
		what = fmt.Sprintf("%s ran no statement in a timed run on %s", call, data)
	case ran < checked:
		what = fmt.Sprintf("%s ran %s in a timed run on %s, where it ran %s when its result was checked",
			call, protocol.Counted(ran, "statement"), data, protocol.Count(checked))
	case did.rows*10 < on.wantRows*9:
		// The same code on the same data reads the same rows: one that
		// sends its statements and reads fewer of their rows skipped the
		// work the statements stand for.
		what = fmt.Sprintf("%s read %s in a timed run on %s, where it read %s when its result was checked:\n"+
			"  it sent its statements and closed their rows unread",
			call, protocol.Counted(int(did.rows), "row"), data, protocol.Counted(int(on.wantRows), "row"))
	default:
		return
	}
	c.stop1(protocol.KindResult, what+":\n"+
		"  it gives back what an earlier call found (kept in a package-level variable, say), so its time\n"+
		"  says nothing about the work. Compute the result on each call, from the database it is given.")
}

// speedVerdict is the outcome of comparing the timings of the learner's code
// with the reference's.
type speedVerdict struct {
	reference, learner time.Duration // the medians
	ratio              float64       // learner / reference, the reference at least minReference
	limit              float64
	ok                 bool
}

// judgeSpeed compares the median of got with the median of ref: got may take
// up to limit times as long.
func judgeSpeed(ref, got []time.Duration, limit float64) speedVerdict {
	v := speedVerdict{reference: median(ref), learner: median(got), limit: limit}
	v.ratio = float64(v.learner) / float64(max(v.reference, minReference))
	v.ok = v.ratio <= limit
	return v
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// message explains a verdict that failed.
func (v speedVerdict) message(call, what string, runs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is too slow: it takes %s times as long as the lesson's reference; the limit is %s times.\n",
		call, showRatio(v.ratio), showRatio(v.limit))
	fmt.Fprintf(&b, "  It took %s of %s, the reference %s ", showDuration(v.learner), what, showDuration(v.reference))
	if runs == 1 {
		b.WriteString("(one run each, in this process on the same\n" +
			"  data: so far past the limit that more runs could not change the verdict).\n")
	} else {
		fmt.Fprintf(&b, "(the medians of %d runs each, taken in\n"+
			"  turn in this process on the same data, so the speed of this machine cancels out).\n", runs)
	}
	b.WriteString("  Look for work that grows faster than the data: a loop over all the rows inside another\n" +
		"  loop, or a statement per row.\n" + planHint)
	return b.String()
}

// planHint says that one statement can be the work that grows: SQLite may
// run part of it once per row.
const planHint = "  One statement can be it too: SQLite may run a subquery, or a join onto a grouped subquery or\n" +
	"  CTE, once per row of the outer query. Run the lesson with -explain to see how it runs each one."

// showDuration writes d for a learner: "4.7 ms", "231 ms", "1.4 s".
func showDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.1f s", ms/1000)
}

// showRatio writes a ratio with one decimal, or none when it is whole.
func showRatio(r float64) string {
	s := fmt.Sprintf("%.1f", r)
	return strings.TrimSuffix(s, ".0")
}
