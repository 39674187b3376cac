package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"workbook/internal/grade"
	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// cmdRun is workbook run: a lesson's checks, once.
var cmdRun = &command{
	name:  "run",
	args:  "[lesson]",
	short: "run a lesson's checks on your code, once",
	long: `Run builds the lesson with your file and runs its checks, once. Each check
runs your code on a private copy of a seeded database, counts the statements
it sends, and compares what it returns with the expected result. Run prints
every check with PASS or FAIL and its statement count against the budget,
then explains the first failure. For a lesson checked at several data sizes
it draws how the statement count (and its time) grows with the data.

With no lesson, run picks the first lesson you have not passed. The exit
status is 0 only when every check passed. When the last lesson passes, every
lesson is checked again, in case a later change broke an earlier one.`,
	run: withFlags((*runOptions).setFlags, runRun),
}

// maxLatency bounds -latency: past it, a lesson with 1 + N statements takes
// minutes, which teaches nothing more.
const maxLatency = 100 * time.Millisecond

// runOptions are the flags of run.
type runOptions struct {
	verbose      bool
	explain      explainMode
	latency      time.Duration
	checkTimeout time.Duration
	runTimeout   time.Duration
	json         bool
}

// setFlags declares the flags of run into o.
func (o *runOptions) setFlags(fs *flagSet) {
	fs.BoolVar(&o.verbose, "v", false, "Explain every failing check in full, not just the first.")
	fs.Var(&o.explain, "explain", `List the statements your code ran in each check (on the check's own
data set): the whole SQL, its arguments, the first rows it returned or
the rows it changed, the line of your code that sent it, its time, and
how SQLite ran each shape of statement (its query plan). A long run of
one shape is cut to its first and last; -explain=all shows every one.`)
	fs.DurationVar(&o.latency, "latency", 0, `Make every statement wait d (such as 2ms, at most 100ms) after SQLite
answers, as a database across a network would: 1 + N statements then
cost N round trips, and you can feel it.`)
	fs.DurationVar(&o.checkTimeout, "timeout", 0, `How long one check may wait for your code on one data set before it
gives up (default 5s).`)
	fs.DurationVar(&o.runTimeout, "run-timeout", 0, `How long all the checks may take once the lesson is built before the
workbook stops them (default: the lesson's own limit, usually 60s).`)
	fs.BoolVar(&o.json, "json", false, `Print what the checks found as one JSON document instead of the report,
for an editor or a script: the lesson, each check's status, summary,
message and statements (docs/json.md describes it).`)
}

// explainMode is the value of -explain: off, on, or all (no run cut).
type explainMode int

const (
	explainOff explainMode = iota
	explainOn
	explainAll
)

// String implements flag.Value.
func (m *explainMode) String() string {
	switch *m {
	case explainOn:
		return "true"
	case explainAll:
		return "all"
	}
	return "false"
}

// Set implements flag.Value: -explain, -explain=true|false|all.
func (m *explainMode) Set(s string) error {
	switch strings.ToLower(s) {
	case "true", "1", "on":
		*m = explainOn
	case "false", "0", "off":
		*m = explainOff
	case "all":
		*m = explainAll
	default:
		return fmt.Errorf("-explain takes no value, or all: -explain=all")
	}
	return nil
}

// IsBoolFlag lets -explain stand alone, as a bool flag does.
func (m *explainMode) IsBoolFlag() bool { return true }

// runRun runs the checks of the lesson args name, or of the one the
// learner is on, once.
func runRun(e *env, opt runOptions, args []string) int {
	if opt.checkTimeout < 0 || opt.runTimeout < 0 {
		return e.usageError("a timeout must be positive")
	}
	if opt.latency < 0 || opt.latency > maxLatency {
		return e.usageError("-latency must be between 0 and %s, such as 2ms", maxLatency)
	}
	l, st, code := e.chosenLesson(args,
		"Every lesson has passed. Well done! Run one again by name: "+e.self+" run 7")
	if l == nil {
		return code
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := e.runChecks(ctx, l, e.standings(st), opt)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "workbook: interrupted; the checks were stopped")
		return exitFail
	}
	if err != nil {
		return e.fail(err)
	}
	if opt.json {
		e.record(r, st)
		if err := writeJSON(e.stdout, newRunDoc(r)); err != nil {
			return e.fail(err)
		}
		e.save(st)
	} else {
		v := e.view()
		v.verbose, v.explain, v.explainAll, v.latency = opt.verbose, opt.explain != explainOff, opt.explain == explainAll, opt.latency
		e.report(v, r, st)
	}
	if r.out.Passed() {
		return exitOK
	}
	return exitFail
}

// lessonRun is what running a lesson found: its outcome and, when that
// calls for one, the re-check of the other lessons (see recheck).
type lessonRun struct {
	out       *runner.Outcome
	rechecked []rechecked
}

// runChecks runs l's checks and, when passing them calls for it, checks
// again the lessons was holds as passed once (see recheck). It shows nothing
// and changes no state, so that watch mode can run it on a goroutine of its
// own.
func (e *env) runChecks(ctx context.Context, l *lesson.Lesson, was map[string]standing, opt runOptions) (*lessonRun, error) {
	if missing := l.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("%s is missing: %s puts back the file as shipped",
			filepath.ToSlash(l.RelPath(missing[0])), fmt.Sprintf("%s reset %d", e.self, l.Number))
	}
	refused, err := grade.Refusals(l, e.root)
	if err != nil {
		return nil, err
	}
	if len(refused) > 0 {
		return nil, fmt.Errorf("lesson %d was not run, because your file uses what the checks cannot count or see through, and grading refuses it too:\n  %s\nRemove it, and solve the lesson with the handle the checks give you",
			l.Number, strings.Join(refused, "\n  "))
	}
	out, err := runner.Run(ctx, e.runSpec(l, opt))
	if err != nil {
		return nil, err
	}
	r := &lessonRun{out: out}
	if r.rechecked, err = e.recheck(ctx, l, out, was); err != nil {
		return nil, err
	}
	return r, nil
}

// runSpec turns the flags of a run into what the runner runs.
func (e *env) runSpec(l *lesson.Lesson, opt runOptions) runner.Spec {
	return runner.Spec{
		Lesson:   l,
		Root:     e.root,
		Protocol: protocol.Env{CheckTimeout: opt.checkTimeout, Explain: opt.explain != explainOff, Latency: opt.latency},
		Limit:    opt.runTimeout,
		Preparing: func() {
			fmt.Fprintf(e.stderr, "Building lesson %d… (the very first build compiles SQLite's C source, which takes a minute or two)\n", l.Number)
		},
		Working: func() {
			fmt.Fprintf(e.stderr, "Running the checks of lesson %d…\n", l.Number)
		},
	}
}

// report records r in st, shows it with v, and saves st.
func (e *env) report(v *view, r *lessonRun, st *progress.State) {
	e.record(r, st)
	l := r.out.Lesson
	rec := recordOf(st, l)
	_, rec.failingElsewhere = e.tally(st)
	if st.Failing(l.ID()) {
		rec.failingElsewhere--
	}
	v.render(r.out, e.nextAfter(l, st), rec)
	if r.rechecked != nil {
		v.renderRecheck(r.rechecked)
	}
	e.save(st)
}

// record records in st what r found.
func (e *env) record(r *lessonRun, st *progress.State) {
	now := time.Now()
	st.Record(r.out.Lesson.ID(), r.out.Passed(), now)
	st.SetFailedChecks(r.out.Lesson.ID(), failingChecks(r.out))
	recordRecheck(st, r.rechecked, now)
}

// save saves st, and says so when it cannot: the run itself went well.
func (e *env) save(st *progress.State) {
	if err := st.Save(e.root); err != nil {
		fmt.Fprintf(e.stderr, "workbook: your progress could not be saved: %v\n", err)
	}
}
