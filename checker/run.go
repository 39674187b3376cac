package checker

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"time"

	"workbook/checker/internal/ties"
	"workbook/checker/stmtlog"
	"workbook/internal/dataset"
	"workbook/internal/protocol"
)

// run runs check and returns its verdict. It never panics and never waits
// longer than the timeout per data set.
func (cfg *config) run(check Check, body func(*C)) protocol.Verdict {
	began := time.Now()
	bareOpens.close()
	v := protocol.Verdict{
		Check:         check.Name,
		Data:          check.Data,
		MaxStatements: check.Budget,
		Output:        protocol.PartPass,
		Budget:        protocol.PartNotJudged,
	}
	if msg := cfg.problem(check); msg != "" {
		v.Status, v.Output = protocol.StatusBroken, protocol.PartNotJudged
		v.Failures = []protocol.Failure{newFailure("", protocol.KindBroken, msg)}
		return v
	}
	budgetPassed := false
	limits := map[string]int{} // each data set's statement budget
	var first dataResult       // the run on the lesson's own data
	var firstTook time.Duration
	for i, data := range check.Data {
		start := time.Now()
		r := cfg.runData(check, data, body, plainRun)
		if i == 0 {
			first, firstTook = r, time.Since(start)
		}
		if i > 0 && len(v.Failures) == 0 {
			// A failure only a hidden data set shows is introduced as
			// such (its ids are none the learner has seen); an order left
			// to chance is said to be one (see Failure.Text).
			for j := range r.failures {
				r.failures[j].VariantOnly = dataset.Hidden(data) && !r.failures[j].AnyData
			}
		}
		v.Failures = append(v.Failures, r.failures...)
		v.Timings = append(v.Timings, r.timings...)
		if r.score.Worse(v.Score) {
			v.Score = r.score
		}
		if check.BudgetPer.set() && (i == 0 || r.count > v.Statements) {
			// A budget that grows with the data: that of the data set
			// that ran the most statements (see perRowsBudget).
			v.MaxStatements = r.limit
		}
		limits[data] = r.limit
		v.Statements = max(v.Statements, r.count)
		// Keep the log of the lesson's own data, unless another data set
		// is the first to break the budget.
		if i == 0 || (r.budget == protocol.PartFail && v.Budget != protocol.PartFail) {
			v.Log, v.LogData, v.LogStatements, v.LogDropped = r.log, data, r.count, r.dropped
			v.Plans = r.plans
			v.DBTime, v.Waited = protocol.Duration(r.inside), protocol.Duration(r.waited)
		}
		switch r.budget {
		case protocol.PartFail:
			v.Budget = protocol.PartFail
		case protocol.PartPass:
			budgetPassed = true
		}
		if r.timedOut {
			// Code that hung once will hang again: do not wait for it on
			// every data set while its goroutine still runs.
			break
		}
	}
	if cfg.orderRuns(check, first, v.Failures) {
		// Every data set written by hand holds ties of its own (the
		// variant's two Dennises, say): each is turned round, until one
		// fails. The generated sets, large, are left out.
		for i, data := range check.Data {
			if len(v.Failures) > 0 {
				break
			}
			if i > 0 && generatedSet.MatchString(data) {
				continue
			}
			r := cfg.runData(check, data, body, reversedRun)
			v.Failures = append(v.Failures, r.failures...)
			if len(r.failures) == 0 && r.unreversed > 0 {
				r := cfg.runData(check, data, body, reorderedRun)
				v.Failures = append(v.Failures, r.failures...)
			}
		}
		if budget := cfg.repeatBudget(); len(v.Failures) == 0 && len(first.timings) == 0 && firstTook < budget && cfg.mentionsMaps() {
			began := time.Now()
			for range orderRepeats {
				r := cfg.runData(check, check.Data[0], body, repeatedRun)
				if len(r.failures) > 0 {
					v.Failures = append(v.Failures, r.failures...)
					break
				}
				if time.Since(began) > budget {
					break
				}
			}
		}
	}
	perRowsBudget(check, &v, limits)
	if budgetPassed && v.Budget != protocol.PartFail {
		v.Budget = protocol.PartPass
	}
	v.Status = protocol.StatusPass
	for _, f := range v.Failures {
		if f.Kind.Output() {
			v.Output = protocol.PartFail
		}
		v.Status = protocol.Worse(v.Status, f.Kind.Status())
	}
	v.Elapsed = protocol.Duration(time.Since(began))
	return v
}

// orderRuns reports whether check runs again to find the orders its
// queries leave open: when the run on its first data set compared a result
// whose order counts, nothing has failed yet (a learner with something else
// to fix is not told about ties as well), and the run writes no expected
// results. It then runs once more on a copy of that data set with every
// order the learner's queries leave open turned round (reversedRun), and,
// if a query's could not be, once more on a reordered copy (reorderedRun).
func (cfg *config) orderRuns(check Check, first dataResult, failures []protocol.Failure) bool {
	return first.ordered && len(failures) == 0 && !cfg.update && !check.StartEmpty
}

// An ordered check that passed its other runs and timed nothing runs again
// on its first data set as a plain run, up to orderRepeats times or for
// about repeatFor, when the learner's files use a map: an order a map's
// range decides shows in some of them.
// A map's range order is the runtime's random choice, but on a small map it
// is rarely far from the order the keys went in (of a map of two keys, one
// range in eight gives them the other way round), so it takes many runs:
// forty leave such an order one chance in two hundred to pass them all.
// The data sets of checks that run fast are small, and forty runs of them
// take a fraction of a second.
const (
	orderRepeats = 40
	repeatFor    = 400 * time.Millisecond
)

// mentionsMaps reports whether the learner's files use a map type, whose
// range order the runtime chooses at random.
func (cfg *config) mentionsMaps() bool {
	for _, f := range cfg.learnerFiles {
		if src, err := cfg.readLearner(f); err == nil && mapType.Match(src) {
			return true
		}
	}
	return false
}

var mapType = regexp.MustCompile(`\bmap\[`)

// repeatBudget returns how long the repeats of an ordered check may take.
func (cfg *config) repeatBudget() time.Duration {
	if cfg.repeatFor > 0 {
		return cfg.repeatFor
	}
	return repeatFor
}

// runMode says how a run of a check on a data set looks for orders left to
// chance.
type runMode int

const (
	// plainRun is a run as the learner's code would meet the data set,
	// but for PRAGMA reverse_unordered_selects (see learnerSetup).
	plainRun runMode = iota
	// reversedRun hands back, in the other order, the rows of every query
	// of the learner's without an ORDER BY and the ties of every ORDER BY
	// (stmtlog.Log.OpenOrdersReversed).
	reversedRun
	// reorderedRun uses a copy stored and indexed in another order (see
	// reorder), for the orders reversedRun could not turn round.
	reorderedRun
	// repeatedRun is a plain run once more, for orders Go leaves to
	// chance (see orderRepeats).
	repeatedRun
)

// note explains, under a wrong result, what a run that looks for orders
// left open did with data set data; "" for a plain run. sortCall names
// the learner's first call of a Go sort, where there is one.
func (m runMode) note(data, sortCall string) string {
	switch m {
	case reversedRun:
		if sortCall != "" {
			return "(This run turned round every order your code leaves open: the rows of a query without\n" +
				"ORDER BY came last first, rows that tie on every ORDER BY term came in the other order, as\n" +
				"did the values an aggregate such as group_concat joined without an ORDER BY of its own, and\n" +
				"so did elements that sort.Slice, sort.Sort or slices.SortFunc compare equal. Those sorts\n" +
				"are not stable: they keep equal elements in order only on small slices, by chance.\n" +
				"Your file calls " + sortCall + ".\n" +
				"Compare every key the order needs there, or sort rows that come in order with\n" +
				"sort.SliceStable or slices.SortStableFunc.)"
		}
		return "(This run turned round every order your queries leave open: the rows of a query without\n" +
			"ORDER BY came last first, rows that tie on every ORDER BY term came in the other order, and\n" +
			"so did the values group_concat or json_group_array joined without an ORDER BY of their own\n" +
			"(json_group_array(x ORDER BY …)). SQLite may give either order, so say every key the order needs.)"
	case repeatedRun:
		return "(This run was a repeat of the check on " + data + ", the same data the same way, and your\n" +
			"result came out in another order than before: something in your code decides the order by\n" +
			"chance. A Go map's range order is random on purpose, and changes from one range to the\n" +
			"next: collect the keys, sort them, and range over those, or let an ORDER BY decide.)"
	case reorderedRun:
		return fmt.Sprintf("(This run used a copy of %s with the same rows and ids, stored and indexed in another\n"+
			"order. A query returns rows in the order SQLite happens to read them wherever its ORDER BY\n"+
			"leaves the order open, and here that order is another one; a rowid, too, is only the order\n"+
			"the rows were stored in, not a key. Say every key the order needs.)", data)
	}
	return ""
}

// newFailure returns a failure on data set data, with its summary.
func newFailure(data string, kind protocol.Kind, msg string) protocol.Failure {
	return protocol.Failure{Data: data, Kind: kind, Summary: protocol.Summarize(msg), Message: msg}
}

// dataResult is the outcome of a check on one data set.
type dataResult struct {
	timedOut bool
	failures []protocol.Failure
	count    int
	budget   protocol.Part
	log      []protocol.Statement
	plans    []protocol.Plan
	timings  []protocol.Timing
	score    *protocol.Score
	dropped  int
	limit    int           // the statement budget on this data set (0: none)
	inside   time.Duration // in SQLite
	waited   time.Duration // simulated round trips
	ordered  bool          // the body compared a result whose order counts

	unreversed int // queries whose open order a reversedRun could not turn round
}

// runData runs body on a fresh copy of data set data and judges what it
// did. In a run that looks for orders left open (a mode other than
// plainRun) only the results are judged: the statements are those of the
// plain run on the data set.
func (cfg *config) runData(check Check, data string, body func(*C), mode runMode) dataResult {
	dir, err := os.MkdirTemp(cfg.scratchDir(), "workbook-check-")
	if err != nil {
		return brokenResult(data, fmt.Errorf("checker: %w", err))
	}
	defer os.RemoveAll(dir)
	path, rows, err := cfg.dataCopy(check, data, dir)
	if err != nil {
		return brokenResult(data, err)
	}
	if mode == reorderedRun {
		if err := reorder(path); err != nil {
			return brokenResult(data, fmt.Errorf("checker: reordering a copy of %s: %w", data, err))
		}
	}
	c := &C{cfg: cfg, check: check, data: data, path: path, rows: rows, log: new(stmtlog.Log), mode: mode}
	c.log.OpenOrdersReversed = mode == reversedRun
	// Go's unstable sorts, in the learner's checked build, turn ties
	// round whenever the run looks for orders left open.
	ties.SetReversed(mode == reversedRun || mode == reorderedRun)
	defer ties.SetReversed(false)
	if cfg.explain {
		c.log.KeepRows = explainRows
	}
	copies.add(path, c.log)
	defer copies.remove(path)
	c.expected = startingShape(c)
	c.objects, _ = readObjects(c.ownDB())
	if check.BudgetPer.set() {
		from := path
		if rows != "" {
			from = rows
		}
		if c.budgetRows, err = check.BudgetPer.countRows(from); err != nil {
			return brokenResult(data, err)
		}
	}

	timedOut := cfg.runBody(c, body)
	if timedOut {
		c.mu.Lock()
		cfg.handle.abandon(c.db)
		c.mu.Unlock()
	}
	failures := c.stop()
	for _, why := range c.endNotes {
		failures = append(failures, newFailure(data, protocol.KindState, why))
	}
	if why := pooledControlNote(c.log.Entries()); why != "" {
		failures = append(failures, newFailure(data, protocol.KindResult, why))
	}
	if e, off := c.log.ForeignKeysLeftOff(); off {
		failures = append(failures, newFailure(data, protocol.KindResult, fmt.Sprintf(
			"Statement %d turned foreign keys off on its connection, and nothing turned them on again:\n"+
				"    %s\n"+
				"On that connection SQLite checks no REFERENCES and runs no ON DELETE rule, so the schema's\n"+
				"rules no longer hold for what runs there. The handle you are given has foreign keys on:\n"+
				"leave them on, or turn them on again (PRAGMA foreign_keys = ON) before you return.",
			e.Seq, strings.Join(strings.Fields(e.SQL), " "))))
	}
	if why := bareOpens.note(cfg); why != "" && mode == plainRun {
		// The cause first: what the code read there explains the rest.
		failures = append([]protocol.Failure{newFailure(data, protocol.KindResult, why)}, failures...)
	}
	r := dataResult{timedOut: timedOut, failures: failures, count: c.log.Count(), budget: protocol.PartNotJudged, dropped: c.log.Dropped(), ordered: c.comparedOrder()}
	if mode != plainRun {
		r.unreversed = c.log.Unreversed()
		for i := range r.failures {
			r.failures[i].Statements = r.count
		}
		return r
	}
	r.inside, r.waited = c.log.Time()
	c.mu.Lock()
	r.timings = c.timings
	r.score = c.score
	c.mu.Unlock()
	entries := c.log.Entries()
	r.log = toStatements(entries, cfg.maxLog(), cfg.sites())
	r.budget = judgeBudget(c, entries, &r)
	if !timedOut && (cfg.explain || len(check.Plans) > 0) {
		r.plans = readPlans(path, entries)
		before := len(r.failures)
		judgePlans(c, r.plans, &r)
		if len(r.failures) > before {
			r.budget = protocol.PartFail
		}
	}
	for i := range r.failures {
		r.failures[i].Statements = r.count
	}
	return r
}

func brokenResult(data string, err error) dataResult {
	return dataResult{
		failures: []protocol.Failure{newFailure(data, protocol.KindBroken, err.Error())},
		budget:   protocol.PartNotJudged,
	}
}

// runBody runs body on c's copy on a goroutine of its own, and waits for it
// until the check's time limit. It reports whether the body timed out; a
// panic, or a body that ends its goroutine, is recorded as c's failure.
func (cfg *config) runBody(c *C, body func(*C)) (timedOut bool) {
	done := make(chan struct{})
	gid := make(chan int64, 1)
	go func() {
		defer close(done)
		gid <- goroutineID()
		defer func() {
			if c.returned {
				return
			}
			p := recover()
			switch {
			case p != nil:
				pcs := make([]uintptr, 64)
				n := runtime.Callers(1, pcs)
				c.fail(protocol.KindPanic, cfg.describePanic(p, pcs[:n]))
			case !c.stoppedByCheck():
				// Neither a return, nor a panic, nor the check's own stop:
				// the learner's code ended the goroutine itself.
				c.fail(protocol.KindPanic, "Your code ended the check's goroutine without returning (runtime.Goexit, or\n"+
					"panic(nil) with GODEBUG=panicnil=1), so nothing it should have returned was checked.")
			}
		}()
		body(c)
		c.heldNote() // the check's last call may have rewritten a result
		c.openNote()
		c.returned = true
	}()
	id := <-gid

	timeout := cfg.checkTimeout(c.check)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	// While code that hung in an earlier check still runs, look every
	// hangProbe at where this body is: stuck in the same function of the
	// learner's, it is the same hang, reported once rather than waited for
	// in full again.
	began := time.Now()
	var probe <-chan time.Time
	if anyHung() {
		t := time.NewTicker(min(hangProbe, timeout/2))
		defer t.Stop()
		probe = t.C
	}
	for {
		select {
		case <-done:
			for _, why := range []string{c.schemaNote(), c.writeNote()} {
				if why != "" {
					c.endNotes = append(c.endNotes, why)
				}
			}
			c.close()
			return false
		case <-probe:
			frames, state := stackOf(id)
			_, place := cfg.whereStuck(frames, state)
			if h, ok := stillHung(place); ok && place != "" {
				c.fail(protocol.KindTimeout, fmt.Sprintf(
					"Your code hangs where it hung in check %s: stopped after %s on %s.\n"+
						"It was stuck in the same function (%s) as that check's code, which never\n"+
						"returned and still runs, so the check stopped it rather than wait the full %s again; code\n"+
						"stuck anywhere else gets the full time. See %s for where it hangs. %s ran\n"+
						"before it was stopped.",
					h.check, shortDuration(time.Since(began)), c.data, h.where, timeout, h.check,
					protocol.Counted(c.log.Count(), "statement")))
				addHang(hang{check: c.check.Name, data: c.data, place: place, where: h.where, done: done})
				return true
			}
		case <-timer.C:
			frames, state := stackOf(id)
			where, place := cfg.whereStuck(frames, state)
			msg := fmt.Sprintf("Your code did not return within %s on %s, so the check stopped waiting for it.\n", timeout, c.data)
			if where != "" {
				msg += where + "\n"
			}
			msg += fmt.Sprintf("Look for a loop that never ends, rows that are never closed while another statement waits,\n"+
				"or a transaction left open. %s ran before it was stopped.", protocol.Counted(c.log.Count(), "statement"))
			c.fail(protocol.KindTimeout, msg)
			if place != "" {
				f := learnerFrame(cfg, frames)
				addHang(hang{check: c.check.Name, data: c.data, place: place,
					where: fmt.Sprintf("%s:%d in %s", cfg.rel(f.File), f.Line, shortFunc(f.Function)), done: done})
			}
			return true
		}
	}
}

// shortDuration rounds d for a message: 250ms, 1.2s.
func shortDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// learnerFrame returns the innermost frame in the learner's files.
func learnerFrame(cfg *config, frames []frame) frame {
	for _, f := range frames {
		if cfg.isLearnerFile(f.File) {
			return f
		}
	}
	return frame{}
}

// explainRows is how many rows of each query -explain shows.
const explainRows = 3

// maxLogLines bounds the statement log kept in a verdict; maxExplainLines
// bounds it when the learner asked to see every statement.
const (
	maxLogLines     = 400
	maxExplainLines = 5000
)

func (cfg *config) maxLog() int {
	if cfg.explain {
		return maxExplainLines
	}
	return maxLogLines
}

// toStatements converts entries for a verdict: all of them, or when there
// are more than max, the first three quarters of max and the last quarter.
// Each carries where the learner's code sent it from, found by where.
func toStatements(entries []stmtlog.Entry, max int, where *sites) []protocol.Statement {
	keep := entries
	if len(keep) > max {
		keep = append(append([]stmtlog.Entry(nil), entries[:max*3/4]...), entries[len(entries)-max/4:]...)
	}
	out := make([]protocol.Statement, len(keep))
	for i, e := range keep {
		s := protocol.Statement{Seq: e.Seq, Kind: entryKind(e.Kind), Line: e.Line(),
			Micros: e.Duration.Microseconds(), WaitMicros: e.Wait.Microseconds(),
			SQL: e.SQL, Result: e.Result(), Query: e.Query}
		if e.Query {
			s.Returned = e.Rows
		}
		for _, a := range e.Args {
			s.Args = append(s.Args, stmtlog.FormatValue(a))
		}
		for _, row := range e.Sample {
			cells := make([]string, len(row))
			for j, v := range row {
				cells[j] = stmtlog.FormatValue(v)
			}
			s.Rows = append(s.Rows, cells)
		}
		if e.Kind == stmtlog.KindStatement {
			s.Shape = stmtlog.Shape(e.SQL)
			s.Site = where.of(e)
		}
		out[i] = s
	}
	return out
}

// entryKind returns the protocol's name for a kind of log entry.
func entryKind(k stmtlog.Kind) protocol.EntryKind {
	switch k {
	case stmtlog.KindBegin:
		return protocol.EntryBegin
	case stmtlog.KindCommit:
		return protocol.EntryCommit
	case stmtlog.KindRollback:
		return protocol.EntryRollback
	}
	return protocol.EntryStatement
}

// generatedSet matches the names of the data sets the generator makes
// (budget-10 … budget-10000).
var generatedSet = regexp.MustCompile(`^budget-\d+$`)
