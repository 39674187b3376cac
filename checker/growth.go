package checker

import (
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// Growth compares how much longer the learner's code takes on a larger data
// set with how much longer the lesson's reference takes, for
// [C.ExpectGrowth]. A ratio at one size ([Speed]) lets through work that
// grows faster than the data while the data is small enough; growth does
// not depend on the size.
type Growth struct {
	// Reference is the lesson's own implementation, written in the check
	// file, as for [Speed].
	Reference func(db *sqlx.DB) error
	// Learner calls the learner's code.
	Learner func(db *sqlx.DB) error
	// From is the smaller data set, which both are also timed on. It must
	// be one of the check's Data, so that a graded run is handed it; on
	// From itself, ExpectGrowth judges nothing.
	From string
	// Step names the step from From to the check's data set for the
	// message: "from 1,000 to 10,000 users". Empty means "from <From> to
	// <data set>".
	Step string
	// Factor is how many times the reference's growth the learner's may
	// be: 3 fails code whose time grows more than three times as much as
	// the reference's. Zero means DefaultGrowthFactor.
	Factor float64
	// Runs is how many times each is timed on each data set, after a
	// warm-up; zero means DefaultSpeedRuns. As with [Speed], runs so far
	// past the limit that no noise explains them end the timing early, and
	// so do runs in both orders so well within it that none could move the
	// verdict.
	Runs int
	// Generated, when more than zero, adds a larger step: both are also
	// timed on a budget data set of that many users, made at check time
	// from a copy of From (which must then hold the budget schema) by the
	// generator of the shipped budget-N sets, kept in memory for the rest
	// of the run and never written to data/. The learner's growth from From
	// to it may also be at most Factor times the reference's. Work that
	// grows with users × rows but does little per step is hidden at the
	// check's own size by the time of the queries, and shows at a larger
	// one. The step is timed only when the check's own step held, at most
	// GeneratedRuns times each; a run of the learner's code there is
	// stopped once its time alone decides the verdict.
	Generated int
	// GeneratedStep names the step from From to the generated set for the
	// message: "from 1,000 to 50,000 users". Empty means "from <From> to
	// budget-<Generated>".
	GeneratedStep string
	// GeneratedBudget, when more than zero, is the most statements the
	// learner's code may send in one run on the generated set: a budget
	// that holds "whatever the number of users" holds there too, where
	// code that sends one statement per batch of a fixed size (10,000
	// users a batch) sends more than at the check's own sizes.
	GeneratedBudget int
	// Vary is as [Speed.Vary], on each of the learner's copies.
	Vary FreshChange
}

// GeneratedRuns is how many times [Growth] times each on its generated
// set, after a warm-up: fewer than on the smaller sets, since runs on a
// large set take long and vary less.
const GeneratedRuns = 3

// DefaultGrowthFactor is the growth factor [Growth] allows by default.
// Linear code grows about as the reference does; code that does work per
// row for every row grows by the step itself (ten times the data, ten times
// the reference's growth).
const DefaultGrowthFactor = 3

// ExpectGrowth fails the check when the learner's code takes much longer
// on the check's data set, compared with g.From, than the reference does.
// Both are timed in turn, g.Runs times each, on this run's copy and on a
// fresh copy of g.From, in this process, with handles like [C.DB]'s (not
// counted), and the medians are compared. Neither the machine's speed nor
// any absolute time enters the verdict.
//
// Call it after the learner's code has run once through [C.DB], as for
// [C.ExpectSpeed].
func (c *C) ExpectGrowth(g Growth) {
	switch {
	case g.Reference == nil || g.Learner == nil:
		c.stop1(protocol.KindBroken, "checker: ExpectGrowth needs both a Reference and a Learner function")
	case !slices.Contains(c.check.Data, g.From):
		c.stop1(protocol.KindBroken, fmt.Sprintf("checker: ExpectGrowth's From %q is not one of the check's Data %v", g.From, c.check.Data))
	case g.From == c.data:
		return
	}
	factor, runs := g.Factor, g.Runs
	if factor <= 0 {
		factor = DefaultGrowthFactor
	}
	if runs <= 0 {
		runs = DefaultSpeedRuns
	}
	step := g.Step
	if step == "" {
		step = fmt.Sprintf("from %s to %s", g.From, c.data)
	}
	dir, err := os.MkdirTemp(c.cfg.scratchDir(), "workbook-growth-")
	if err != nil {
		c.stop1(protocol.KindBroken, fmt.Sprintf("checker: %v", err))
	}
	defer os.RemoveAll(dir)
	smallPath, err := c.cfg.seeds.freshCopy(g.From, dir)
	if err != nil {
		c.stop1(protocol.KindBroken, err.Error())
	}
	copies.add(smallPath, nil)
	defer copies.remove(smallPath)
	checked := c.log.Count() // what the learner's code ran on the large set when checked
	smallLog, largeLog := new(stmtlog.Log), new(stmtlog.Log)
	small := c.timingDBAt(smallPath, smallLog)
	defer small.Close()
	large := c.timingDB(largeLog)
	defer large.Close()
	// The reference runs on copies of its own (see referenceCopy).
	refSmallLog, refLargeLog := new(stmtlog.Log), new(stmtlog.Log)
	refSmall := c.timingDBAt(c.referenceCopy(dir, func(dir string) (string, error) { return c.cfg.seeds.freshCopy(g.From, dir) }), refSmallLog)
	defer refSmall.Close()
	refLarge := c.timingDBAt(c.referenceCopy(dir, func(dir string) (string, error) { return c.cfg.seeds.freshCopy(c.data, dir) }), refLargeLog)
	defer refLarge.Close()

	t := c.timer()
	// The small set may need fewer statements; none at all is a result
	// kept from an earlier call.
	onSmall := timedDB{db: small, log: smallLog, data: g.From, want: min(checked, 1), vary: g.Vary, varied: new(int)}
	onLarge := timedDB{db: large, log: largeLog, data: c.data, want: checked, wantRows: c.log.RowsRead(), vary: g.Vary, varied: new(int)}
	refOnSmall := timedDB{db: refSmall, log: refSmallLog, data: g.From}
	refOnLarge := timedDB{db: refLarge, log: refLargeLog, data: c.data}
	timed := func(f func(*sqlx.DB) error, on timedDB, learner bool) time.Duration { return t.run(f, on, learner) }
	var m growthRuns
	timed(g.Reference, refOnSmall, false) // warm-up
	timed(g.Reference, refOnLarge, false)
	if refSmallLog.Count() > 0 {
		// What the reference reads, the learner's code must read too.
		onSmall.want, onLarge.want = 1, max(checked, 1)
	}
	timed(g.Learner, onSmall, true)
	timed(g.Learner, onLarge, true)
	for i := 0; i < runs; i++ {
		// Take turns going first, as ExpectSpeed does.
		if i%2 == 0 {
			m.refSmall = append(m.refSmall, timed(g.Reference, refOnSmall, false))
			m.gotSmall = append(m.gotSmall, timed(g.Learner, onSmall, true))
			m.refLarge = append(m.refLarge, timed(g.Reference, refOnLarge, false))
			m.gotLarge = append(m.gotLarge, timed(g.Learner, onLarge, true))
		} else {
			m.gotSmall = append(m.gotSmall, timed(g.Learner, onSmall, true))
			m.refSmall = append(m.refSmall, timed(g.Reference, refOnSmall, false))
			m.gotLarge = append(m.gotLarge, timed(g.Learner, onLarge, true))
			m.refLarge = append(m.refLarge, timed(g.Reference, refOnLarge, false))
		}
		if growthDecided(m, factor) || growthHeld(m, factor) {
			break
		}
	}
	v := judgeGrowth(m, factor)
	c.addTiming(protocol.Timing{Kind: protocol.TimingGrowth, Data: c.data, From: g.From, Runs: len(m.gotLarge), Clock: t.clk.what,
		Learner: protocol.Duration(v.gotLarge), Reference: protocol.Duration(v.refLarge),
		LearnerFrom: protocol.Duration(v.gotSmall), ReferenceFrom: protocol.Duration(v.refSmall),
		LearnerGrowth: v.gotGrowth, ReferenceGrowth: v.refGrowth, Limit: factor, Held: v.ok})
	if !v.ok {
		c.fail(protocol.KindResult, v.message(t.call, step, t.clk.what, len(m.gotLarge), nil))
		return
	}
	if g.Generated > 0 {
		c.expectGeneratedGrowth(g, t, m, factor, min(runs, GeneratedRuns), dir, heldStep{step: step, v: v})
	}
}

// heldStep is a step of [C.ExpectGrowth] that held, named for the message of
// a larger step that did not.
type heldStep struct {
	step string
	v    growthVerdict
}

// expectGeneratedGrowth times g's larger step, from g.From to a generated
// budget set of g.Generated users, runs times each, reusing the runs on
// g.From in m. held is the check's own step, which held.
func (c *C) expectGeneratedGrowth(g Growth, t timer, m growthRuns, factor float64, runs int, dir string, held heldStep) {
	name := generatedName(g.Generated)
	step := g.GeneratedStep
	if step == "" {
		step = fmt.Sprintf("from %s to %s", g.From, name)
	}
	path, err := c.cfg.generatedCopy(g.From, g.Generated, dir)
	if err != nil {
		c.stop1(protocol.KindBroken, err.Error())
	}
	copies.add(path, nil)
	defer copies.remove(path)
	log := new(stmtlog.Log)
	db := c.timingDBAt(path, log)
	on := timedDB{db: db, log: log, data: name, want: min(c.log.Count(), 1), vary: g.Vary, varied: new(int)}
	refLog := new(stmtlog.Log)
	refDB := c.timingDBAt(c.referenceCopy(dir, func(dir string) (string, error) { return c.cfg.generatedCopy(g.From, g.Generated, dir) }), refLog)
	defer refDB.Close()
	onRef := timedDB{db: refDB, log: refLog, data: name}

	big := growthRuns{refSmall: m.refSmall, gotSmall: m.gotSmall}
	refRuns := []time.Duration{t.run(g.Reference, onRef, false)} // the warm-up counts for the cap only
	if refLog.Count() > 0 {
		on.want = 1
	}
	stopped := false
	learner := func() bool {
		took, capped := t.runCapped(g.Learner, on, growthCap(m.refSmall, m.gotSmall, refRuns, factor))
		big.gotLarge = append(big.gotLarge, took)
		return capped
	}
	reference := func() {
		took := t.run(g.Reference, onRef, false)
		refRuns = append(refRuns, took)
		big.refLarge = append(big.refLarge, took)
	}
	if learner() { // the warm-up: a run stopped here is the only one
		stopped, big.refLarge = true, refRuns
	} else {
		big.gotLarge = nil
	}
	if sent := log.Count(); g.GeneratedBudget > 0 && sent > g.GeneratedBudget {
		c.fail(protocol.KindBudget, fmt.Sprintf("On %s, a budget of %s users made at check time, %s ran %d statements;\n"+
			"the budget is %d, whatever the number of users:\n%s"+
			"Statements sent per batch of a fixed size grow with the data: at the lesson's sizes one batch\n"+
			"held every user, here it does not. SQLite takes up to 32,766 values in one statement, and a\n"+
			"JOIN or a subquery needs no list of ids at all.",
			name, protocol.Count(g.Generated), t.call, sent, g.GeneratedBudget, stmtlog.Listing(log.Statements(), 3, 2, "  ")))
	}
	for i := 0; !stopped && i < runs; i++ {
		if i%2 == 0 {
			reference()
			stopped = learner()
		} else {
			stopped = learner()
			reference()
		}
		if growthDecided(big, factor) || growthHeld(big, factor) {
			break
		}
	}
	if !stopped {
		db.Close() // a run left running may still use it: then it stays open
	}
	v := judgeGrowth(big, factor)
	v.stopped = stopped
	c.addTiming(protocol.Timing{Kind: protocol.TimingGrowth, Data: name, From: g.From, Runs: len(big.gotLarge), Clock: t.clk.what,
		Learner: protocol.Duration(v.gotLarge), Reference: protocol.Duration(v.refLarge),
		LearnerFrom: protocol.Duration(v.gotSmall), ReferenceFrom: protocol.Duration(v.refSmall),
		LearnerGrowth: v.gotGrowth, ReferenceGrowth: v.refGrowth, Limit: factor, Held: v.ok})
	if !v.ok {
		c.fail(protocol.KindResult, v.message(t.call, step, t.clk.what, len(big.gotLarge), &held))
	}
}

// growthCap returns how long one run of the learner's code on the larger
// data set may take before its time alone decides that it grows too fast:
// a run that long grows decisive times past the limit, measured from the
// learner's slowest run on the smaller set (or the reference's fastest
// there, if that is longer), against the reference's growth from its
// fastest run on the smaller set to its slowest on the larger. It is pure:
// the durations are all it reads.
func growthCap(refSmall, gotSmall, refLarge []time.Duration, factor float64) time.Duration {
	refBase := max(slices.Min(refSmall), minReference)
	refGrowth := float64(max(slices.Max(refLarge), minReference)) / float64(refBase)
	gotBase := max(slices.Max(gotSmall), slices.Max(refSmall), minReference)
	return time.Duration(decisive * factor * refGrowth * float64(gotBase))
}

// timingDBAt opens a handle like [C.timingDB]'s on the database at path.
func (c *C) timingDBAt(path string, log *stmtlog.Log) *sqlx.DB {
	dsn := sqlite.DSN(path, sqlite.Options{ForeignKeys: !c.check.ForeignKeysOff, BusyTimeout: sqlite.DefaultBusyTimeout})
	return sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, learnerSetup)), "sqlite3")
}

// growthRuns are the times of the runs of [C.ExpectGrowth]: the reference
// and the learner's code, on the smaller data set and on the larger.
type growthRuns struct {
	refSmall, refLarge, gotSmall, gotLarge []time.Duration
}

// growthVerdict is the outcome of comparing growths.
type growthVerdict struct {
	refSmall, refLarge, gotSmall, gotLarge time.Duration // the medians
	// refGrowth and gotGrowth are how many times longer each took on the
	// larger data set. The learner's is measured from whichever of its own
	// time and the reference's on the smaller set is longer, so that code
	// faster than the reference on small data is not blamed for it.
	refGrowth, gotGrowth float64
	fromReference        bool // gotGrowth is measured from the reference's small time
	stopped              bool // the learner's run on the larger set was stopped at gotLarge
	factor               float64
	ok                   bool
}

// judgeGrowth decides whether the learner's code grew more than factor
// times as much as the reference did. It is pure: the durations are all it
// reads. Times under minReference count as minReference, below which the
// scheduler's noise is a large part of any measurement; and code no slower
// than the reference on the larger data set passes, however fast it was on
// the smaller.
func judgeGrowth(m growthRuns, factor float64) growthVerdict {
	v := growthVerdict{
		refSmall: median(m.refSmall), refLarge: median(m.refLarge),
		gotSmall: median(m.gotSmall), gotLarge: median(m.gotLarge),
		factor: factor,
	}
	refBase := max(v.refSmall, minReference)
	v.refGrowth = float64(max(v.refLarge, minReference)) / float64(refBase)
	gotBase := max(v.gotSmall, minReference)
	if gotBase < v.refSmall {
		gotBase, v.fromReference = v.refSmall, true
	}
	v.gotGrowth = float64(max(v.gotLarge, minReference)) / float64(gotBase)
	v.ok = v.gotGrowth <= factor*v.refGrowth || v.gotLarge <= v.refLarge
	return v
}

// growthDecided reports whether the runs so far leave no doubt that the
// learner's code grows too fast: measured with its fastest run on the
// larger data set and its slowest on the smaller, against the reference's
// slowest on the larger and fastest on the smaller, it still grows more
// than decisive times past the limit.
func growthDecided(m growthRuns, factor float64) bool {
	if m.fewer(1) {
		return false
	}
	return !judgeGrowth(m.extreme(false), decisive*factor).ok
}

// fewer reports whether any of m's four lists has fewer than n runs.
func (m growthRuns) fewer(n int) bool {
	return min(len(m.refSmall), len(m.gotSmall), len(m.refLarge), len(m.gotLarge)) < n
}

// extreme returns the one run of each list of m that makes the learner's
// growth against the reference's the largest (grows) or the smallest: its
// slowest run on the larger set and its fastest on the smaller, against the
// reference's fastest on the larger and its slowest on the smaller, or the
// other way round. m has a run in every list.
func (m growthRuns) extreme(grows bool) growthRuns {
	most, least := slices.Max[[]time.Duration], slices.Min[[]time.Duration]
	if !grows {
		most, least = least, most
	}
	return growthRuns{
		refSmall: []time.Duration{most(m.refSmall)},
		refLarge: []time.Duration{least(m.refLarge)},
		gotSmall: []time.Duration{least(m.gotSmall)},
		gotLarge: []time.Duration{most(m.gotLarge)},
	}
}

// heldMargin is how far within the limit the runs so far must be, in the
// worst case growthDecided also takes, for growthHeld to end the timing:
// a right answer grows about as the reference does, well inside it.
const heldMargin = 1.5

// growthHeld reports whether the runs so far decide that the learner's code
// grows slowly enough: there are decidedRuns of each on each data set, and
// measured with its slowest run on the larger set and its fastest on the
// smaller, against the reference's fastest on the larger and slowest on the
// smaller, it grows at most factor / heldMargin times as much as the
// reference.
func growthHeld(m growthRuns, factor float64) bool {
	return !m.fewer(decidedRuns) && judgeGrowth(m.extreme(true), factor/heldMargin).ok
}

// message explains a verdict that failed on step. held, when not nil, is
// a smaller step that held.
func (v growthVerdict) message(call, step, what string, runs int, held *heldStep) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s grows too fast: %s it took %s× longer; the reference took %s× longer\n",
		call, step, showGrowth(v.gotGrowth, v.stopped), showRatio1(v.refGrowth))
	fmt.Fprintf(&b, "  (the limit is %s times the reference's growth).\n", showRatio(v.factor))
	switch {
	case v.stopped:
		fmt.Fprintf(&b, "  Yours took %s, then more than %s of %s, when it was stopped: by then it had grown\n"+
			"  more than %s times past the limit. The reference took %s, then %s.\n",
			showDuration(v.gotSmall), showDuration(v.gotLarge), what, showRatio(decisive), showDuration(v.refSmall), showDuration(v.refLarge))
	case runs == 1:
		fmt.Fprintf(&b, "  Yours took %s, then %s of %s; the reference %s, then %s", showDuration(v.gotSmall), showDuration(v.gotLarge), what, showDuration(v.refSmall), showDuration(v.refLarge))
		b.WriteString(" (one run each:\n  so far past the limit that more runs could not change the verdict).\n")
	default:
		fmt.Fprintf(&b, "  Yours took %s, then %s of %s; the reference %s, then %s", showDuration(v.gotSmall), showDuration(v.gotLarge), what, showDuration(v.refSmall), showDuration(v.refLarge))
		fmt.Fprintf(&b, " (the medians of %d runs\n  each, taken in turn in this process, so the speed of this machine cancels out).\n", runs)
	}
	if v.fromReference {
		b.WriteString("  Yours was faster than the reference on the smaller data, so its growth is counted from the\n" +
			"  reference's time there.\n")
	}
	if held != nil {
		fmt.Fprintf(&b, "  %s it took %s× longer, the reference %s× longer: within the limit, since\n"+
			"  the queries take most of the time at that size. A little work per row for every user hides\n"+
			"  behind them there, and shows on more data.\n",
			upperFirst(held.step), showRatio1(held.v.gotGrowth), showRatio1(held.v.refGrowth))
	}
	b.WriteString("  Something in it does work per row for every row (or per user for every user): a loop over\n" +
		"  all the rows inside a loop over the users, a search of a slice where a map would do (even one\n" +
		"  that stops at the match), or a sort, a copy or a new map of the whole list inside a loop.\n" + planHint)
	return b.String()
}

// showGrowth writes a growth factor, as "more than" one when its run was
// stopped.
func showGrowth(r float64, stopped bool) string {
	if stopped {
		return "more than " + showRatio1(r)
	}
	return showRatio1(r)
}

// upperFirst gives s with its first letter in upper case: "From 1,000 …".
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// showRatio1 writes a growth factor: "41", "9.8".
func showRatio1(r float64) string {
	if r >= 20 {
		return fmt.Sprintf("%.0f", r)
	}
	return showRatio(r)
}
