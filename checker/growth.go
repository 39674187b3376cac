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
	// past the limit that no noise explains them end the timing early.
	Runs int
}

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

	t := c.timer()
	// The small set may need fewer statements; none at all is a result
	// kept from an earlier call.
	onSmall := timedDB{db: small, log: smallLog, data: g.From, want: min(checked, 1)}
	onLarge := timedDB{db: large, log: largeLog, data: c.data, want: checked}
	timed := func(f func(*sqlx.DB) error, on timedDB, learner bool) time.Duration { return t.run(f, on, learner) }
	var m growthRuns
	for _, on := range []timedDB{onSmall, onLarge} { // warm-up
		timed(g.Reference, on, false)
		timed(g.Learner, on, true)
	}
	for i := 0; i < runs; i++ {
		// Take turns going first, as ExpectSpeed does.
		if i%2 == 0 {
			m.refSmall = append(m.refSmall, timed(g.Reference, onSmall, false))
			m.gotSmall = append(m.gotSmall, timed(g.Learner, onSmall, true))
			m.refLarge = append(m.refLarge, timed(g.Reference, onLarge, false))
			m.gotLarge = append(m.gotLarge, timed(g.Learner, onLarge, true))
		} else {
			m.gotSmall = append(m.gotSmall, timed(g.Learner, onSmall, true))
			m.refSmall = append(m.refSmall, timed(g.Reference, onSmall, false))
			m.gotLarge = append(m.gotLarge, timed(g.Learner, onLarge, true))
			m.refLarge = append(m.refLarge, timed(g.Reference, onLarge, false))
		}
		if growthDecided(m, factor) {
			break
		}
	}
	v := judgeGrowth(m, factor)
	c.addTiming(protocol.Timing{Kind: protocol.TimingGrowth, Data: c.data, From: g.From, Runs: len(m.gotLarge), Clock: t.clk.what,
		Learner: protocol.Duration(v.gotLarge), Reference: protocol.Duration(v.refLarge),
		LearnerFrom: protocol.Duration(v.gotSmall), ReferenceFrom: protocol.Duration(v.refSmall),
		LearnerGrowth: v.gotGrowth, ReferenceGrowth: v.refGrowth, Limit: factor, Held: v.ok})
	if !v.ok {
		c.fail(protocol.KindResult, v.message(t.call, step, t.clk.what, len(m.gotLarge)))
	}
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
	if len(m.refSmall) == 0 || len(m.gotSmall) == 0 || len(m.refLarge) == 0 || len(m.gotLarge) == 0 {
		return false
	}
	worst := growthRuns{
		refSmall: []time.Duration{slices.Min(m.refSmall)},
		refLarge: []time.Duration{slices.Max(m.refLarge)},
		gotSmall: []time.Duration{slices.Max(m.gotSmall)},
		gotLarge: []time.Duration{slices.Min(m.gotLarge)},
	}
	v := judgeGrowth(worst, decisive*factor)
	return !v.ok
}

// message explains a verdict that failed.
func (v growthVerdict) message(call, step, what string, runs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s grows too fast: %s it took %s× longer; the reference took %s× longer\n",
		call, step, showRatio1(v.gotGrowth), showRatio1(v.refGrowth))
	fmt.Fprintf(&b, "  (the limit is %s times the reference's growth).\n", showRatio(v.factor))
	fmt.Fprintf(&b, "  Yours took %s, then %s of %s; the reference %s, then %s",
		showDuration(v.gotSmall), showDuration(v.gotLarge), what, showDuration(v.refSmall), showDuration(v.refLarge))
	if runs == 1 {
		b.WriteString(" (one run each:\n  so far past the limit that more runs could not change the verdict).\n")
	} else {
		fmt.Fprintf(&b, " (the medians of %d runs\n  each, taken in turn in this process, so the speed of this machine cancels out).\n", runs)
	}
	if v.fromReference {
		b.WriteString("  Yours was faster than the reference on the smaller data, so its growth is counted from the\n" +
			"  reference's time there.\n")
	}
	b.WriteString("  Something in it does work per row for every row (or per user for every user): a loop over\n" +
		"  all the rows inside a loop over the users, or a search of a slice where a map would do.")
	return b.String()
}

// showRatio1 writes a growth factor: "41", "9.8".
func showRatio1(r float64) string {
	if r >= 20 {
		return fmt.Sprintf("%.0f", r)
	}
	return showRatio(r)
}
