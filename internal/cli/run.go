package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

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

// runOptions are the flags of a run.
type runOptions struct {
	watching     bool // in watch mode: keys, not commands, run it again
	verbose      bool
	explain      bool
	latency      time.Duration
	checkTimeout time.Duration
	runTimeout   time.Duration
}

// setFlags declares the flags of run into o.
func (o *runOptions) setFlags(fs *flagSet) {
	fs.BoolVar(&o.verbose, "v", false, "Explain every failing check in full, not just the first.")
	fs.BoolVar(&o.explain, "explain", false, `List every statement your code ran in each check (on the check's own
data set), with its arguments, the rows it returned or changed, and its
time.`)
	fs.DurationVar(&o.latency, "latency", 0, `Make every statement wait d (such as 2ms, at most 100ms) after SQLite
answers, as a database across a network would: 1 + N statements then
cost N round trips, and you can feel it.`)
	fs.DurationVar(&o.checkTimeout, "timeout", 0, `How long one check may wait for your code on one data set before it
gives up (default 5s).`)
	fs.DurationVar(&o.runTimeout, "run-timeout", 0, `How long all the checks may take once the lesson is built before the
workbook stops them (default: the lesson's own limit, usually 60s).`)
}

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
	out, err := e.runLesson(ctx, l, st, opt)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "workbook: interrupted; the checks were stopped")
		return exitFail
	}
	if err != nil {
		return e.fail(err)
	}
	if out.Passed() {
		return exitOK
	}
	return exitFail
}

// lessonRun is what running a lesson found: its outcome, and when it was
// the last lesson passing where it had not, the re-check of the others.
type lessonRun struct {
	out       *runner.Outcome
	rechecked []rechecked
}

// rechecked is one lesson of a re-check.
type rechecked struct {
	lesson *lesson.Lesson
	state  recheckState
}

// recheckState is what a re-check found of a lesson.
type recheckState int

const (
	recheckPass    recheckState = iota // passes still
	recheckBroken                      // passed before, fails now
	recheckPending                     // never passed
)

// passedLessons returns which lessons st records as passed, for a run to
// read while st stays with its caller.
func (e *env) passedLessons(st *progress.State) map[string]bool {
	passed := map[string]bool{}
	for _, l := range e.lessons {
		passed[l.ID()] = st.Passed(l.ID())
	}
	return passed
}

// runLesson runs l's checks, then shows and records what they found.
func (e *env) runLesson(ctx context.Context, l *lesson.Lesson, st *progress.State, opt runOptions) (*runner.Outcome, error) {
	r, err := e.runChecks(ctx, l, e.passedLessons(st), opt)
	if err != nil {
		return nil, err
	}
	e.report(r, st, opt)
	return r.out, nil
}

// runChecks runs l's checks and, when l is the last lesson and passes where
// it had not, checks again every lesson recorded as passed (passed holds
// which were). It shows nothing and changes no state, so that watch mode can
// run it on a goroutine of its own.
func (e *env) runChecks(ctx context.Context, l *lesson.Lesson, passed map[string]bool, opt runOptions) (*lessonRun, error) {
	if missing := l.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("%s is missing: %s puts back the file as shipped",
			filepath.ToSlash(l.RelPath(missing[0])), fmt.Sprintf("%s reset %d", e.self, l.Number))
	}
	out, err := runner.Run(ctx, e.runSpec(l, opt))
	if err != nil {
		return nil, err
	}
	r := &lessonRun{out: out}
	last := e.lessons[len(e.lessons)-1]
	if !out.Passed() || passed[l.ID()] || l != last || len(e.lessons) == 1 {
		return r, nil
	}
	for _, other := range e.lessons {
		state := recheckPass
		switch {
		case other == l:
		case passed[other.ID()]:
			o, err := runner.Run(ctx, runner.Spec{Lesson: other, Root: e.root})
			if err != nil {
				return nil, err
			}
			if !o.Passed() {
				state = recheckBroken
			}
		default:
			state = recheckPending
		}
		r.rechecked = append(r.rechecked, rechecked{lesson: other, state: state})
	}
	return r, nil
}

// report records r in st, shows it, and saves st.
func (e *env) report(r *lessonRun, st *progress.State, opt runOptions) {
	l := r.out.Lesson
	st.SetPassed(l.ID(), r.out.Passed())
	for _, rc := range r.rechecked {
		if rc.state == recheckBroken {
			st.SetPassed(rc.lesson.ID(), false)
		}
	}
	e.render(r.out, opt, e.current(st))
	if r.rechecked != nil {
		e.renderRecheck(r.rechecked)
	}
	if err := st.Save(e.root); err != nil {
		fmt.Fprintf(e.stderr, "workbook: your progress could not be saved: %v\n", err)
	}
}

// runSpec turns the flags of a run into what the runner runs.
func (e *env) runSpec(l *lesson.Lesson, opt runOptions) runner.Spec {
	return runner.Spec{
		Lesson:   l,
		Root:     e.root,
		Protocol: protocol.Env{CheckTimeout: opt.checkTimeout, Explain: opt.explain, Latency: opt.latency},
		Limit:    opt.runTimeout,
		Preparing: func() {
			fmt.Fprintf(e.stderr, "Building lesson %d… (the very first build compiles SQLite's C source, which takes a minute or two)\n", l.Number)
		},
	}
}

// renderRecheck shows the re-check that passing the last lesson leads to.
func (e *env) renderRecheck(lines []rechecked) {
	w := e.stdout
	fmt.Fprintf(w, "\n%s\n", e.style.bold("That was the last lesson. Checking the lessons you passed again, in case a later change broke one:"))
	broken, pending := 0, 0
	var firstBroken *lesson.Lesson
	for _, rc := range lines {
		state, note := e.style.green("PASS"), ""
		switch rc.state {
		case recheckBroken:
			broken++
			if firstBroken == nil {
				firstBroken = rc.lesson
			}
			state, note = e.style.red("FAIL"), "  (no longer passes)"
		case recheckPending:
			pending++
			state, note = "----", "  (not passed yet)"
		}
		fmt.Fprintf(w, "  %s  %2d  %s%s\n", state, rc.lesson.Number, rc.lesson.Title, note)
	}
	fmt.Fprintln(w)
	if broken == 0 && pending == 0 {
		fmt.Fprintf(w, "%s\n", e.style.green(fmt.Sprintf("All %d lessons pass. You have finished the workbook. Well done!", len(lines))))
		return
	}
	var parts []string
	if broken > 0 {
		parts = append(parts, fmt.Sprintf("%d no longer %s", broken, plural(broken, "passes", "pass")))
	}
	if pending > 0 {
		parts = append(parts, fmt.Sprintf("%d %s not passed yet", pending, plural(pending, "is", "are")))
	}
	fmt.Fprintf(w, "Of the %d lessons, %s.\n", len(lines), strings.Join(parts, " and "))
	if firstBroken != nil {
		fmt.Fprintf(w, "See what broke: %s\n", e.runCmd(firstBroken))
	}
}

// plural returns one when n is 1, and other otherwise.
func plural(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}

// render prints what a run found.
func (e *env) render(o *runner.Outcome, opt runOptions, next *lesson.Lesson) {
	verbose := opt.verbose
	w, s, l := e.stdout, e.style, o.Lesson
	fmt.Fprintf(w, "%s\n", s.bold(fmt.Sprintf("Lesson %d: %s", l.Number, l.Title)))
	fmt.Fprintf(w, "Your file: %s\n\n", e.lessonFiles(l))

	if len(o.Build) > 0 {
		e.renderBuild(o)
		return
	}

	width := 0
	for _, c := range o.Checks {
		width = max(width, len(c.Check.Name))
	}
	for _, c := range o.Checks {
		line := fmt.Sprintf("  %s  %-*s  %s", e.statusWord(c), width, c.Check.Name, countText(c.Verdict))
		if opt.latency > 0 && c.Verdict != nil {
			line += "  " + shortDuration(time.Duration(c.Verdict.DBTime+c.Verdict.Waited))
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(w)
	if opt.latency > 0 {
		fmt.Fprintf(w, "Times are those of the statements on each check's own data set, each with %s of\nsimulated network latency.\n\n", opt.latency)
	}
	e.renderChart(o, opt.latency)
	if opt.explain {
		e.renderExplain(o, opt.latency)
	}

	shownFull := false
	for _, c := range o.Checks {
		if c.Verdict == nil || c.Verdict.Passed() {
			continue
		}
		if !shownFull || verbose {
			e.renderFailure(c)
			shownFull = true
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", c.Check.Name, printable(summary(c.Verdict.Failures)))
	}
	if shownFull && !verbose && o.Failing() > 1 {
		fmt.Fprintf(w, "%s\n", s.dim(fmt.Sprintf("(%s -v explains every failing check in full)", e.runCmd(l))))
	}
	if shownFull {
		fmt.Fprintln(w)
	}

	switch {
	case o.Flooded:
		fmt.Fprintf(w, "Stopped: the test program printed more than %s, so the workbook stopped it.\n"+
			"Look for a print inside a loop that never ends (or one that runs for every row of a big table).\n\n", byteSize(o.MaxOutput))
	case o.Stopped:
		fmt.Fprintf(w, "Stopped after %s: the checks were still running, so the workbook stopped them.\n"+
			"Your code probably never returns: look for a loop that never ends, or a wait for something\n"+
			"that never comes (rows left open while another statement waits, a transaction never committed).\n\n", o.Limit)
	case len(o.Crash) > 0:
		e.renderCrash(o)
	}
	if len(o.Undeclared) > 0 {
		fmt.Fprintf(w, "Note for the lesson's author: checks ran that %s does not declare: %s\n\n",
			l.Rel(l.ManifestPath()), strings.Join(o.Undeclared, ", "))
	}

	if o.Passed() {
		fmt.Fprintf(w, "%s\n", s.green(fmt.Sprintf("All %d checks pass. Lesson %d is done!", len(o.Checks), l.Number)))
		fmt.Fprintf(w, "See how the reference solution does it: %s\n", e.solutionCmd(l))
		switch {
		case next != nil && opt.watching:
			fmt.Fprintf(w, "Next: lesson %d, %s: press n\n", next.Number, next.Title)
		case next != nil:
			fmt.Fprintf(w, "Next: lesson %d, %s: %s\n", next.Number, next.Title, e.runCmd(next))
		default:
			fmt.Fprintln(w, "Every lesson has passed. Well done!")
		}
		return
	}
	if opt.watching {
		fmt.Fprintf(w, "%d of %d checks pass.\n", o.PassCount(), len(o.Checks))
		return
	}
	fmt.Fprintf(w, "%d of %d checks pass. Edit %s, then run it again: %s\nStuck? %s\n",
		o.PassCount(), len(o.Checks), e.lessonFiles(l), e.runCmd(l), e.hintCmd(l))
}

func (e *env) statusWord(c runner.CheckOutcome) string {
	if c.Status.Passed() {
		return e.style.green(fmt.Sprintf("%-7s", "PASS"))
	}
	return e.style.red(fmt.Sprintf("%-7s", strings.ToUpper(string(c.Status))))
}

// countText is the statement count against the budget.
func countText(v *protocol.Verdict) string {
	if v == nil {
		return ""
	}
	n := protocol.Count(v.Statements) + " statements"
	if v.Statements == 1 {
		n = "1 statement"
	}
	if v.MaxStatements > 0 {
		n += " (budget " + protocol.Count(v.MaxStatements) + ")"
	}
	return n
}

// summary returns the one-line summary of the first failure of fs.
func summary(fs []protocol.Failure) string {
	if len(fs) == 0 {
		return ""
	}
	return fs[0].Summary
}

// renderFailure explains a failing check: the failures on the first data set
// that failed, then what else failed elsewhere.
func (e *env) renderFailure(c runner.CheckOutcome) {
	w, v := e.stdout, c.Verdict
	title := c.Check.Name
	if c.Check.About != "" {
		title += ": " + c.Check.About
	}
	fmt.Fprintf(w, "%s\n", e.style.bold("── "+title))
	shownKinds := map[protocol.Kind]bool{}
	first := ""
	var also []string
	for _, f := range v.Failures {
		if first == "" {
			first = f.Data
		}
		if f.Data == first || !shownKinds[f.Kind] {
			if f.Data != first && len(v.Data) > 1 {
				fmt.Fprintf(w, "  On %s:\n", f.Data)
			}
			fmt.Fprintln(w, indentText(printable(f.Text()), "  "))
			shownKinds[f.Kind] = true
			continue
		}
		if !contains(also, f.Data) {
			also = append(also, f.Data)
		}
	}
	if len(also) > 0 {
		fmt.Fprintf(w, "  (It fails the same way on %s.)\n", strings.Join(also, ", "))
	}
}

var learnerFrame = regexp.MustCompile(`\S+\.go:\d+`)

// renderCrash shows how the test program ended when it ended without giving
// every verdict.
func (e *env) renderCrash(o *runner.Outcome) {
	w := e.stdout
	running := ""
	for _, c := range o.Checks {
		if c.Verdict == nil && c.Started {
			running = c.Check.Name
		}
	}
	if running != "" {
		fmt.Fprintf(w, "The test program crashed while checking %s, so the checks after it did not run.\n", running)
	} else {
		fmt.Fprintln(w, "The test program ended before running every check.")
	}
	if len(o.Crash) == 0 {
		fmt.Fprintln(w, "It printed nothing: something ended it at once, such as os.Exit, log.Fatal or a signal.")
	}
	learner := o.Lesson.LearnerPaths()
	// A trace is pairs of lines: the function, then its file:line +offset.
	// Show the panic and the frames in the learner's files.
	for i, line := range o.Crash {
		line = strings.TrimSpace(line)
		switch {
		case i == 0:
			fmt.Fprintf(w, "  %s\n", printable(line))
		case isLearnerLine(line, learner):
			loc := frameOffset.ReplaceAllString(line, "")
			fn := ""
			if i > 0 {
				fn = shortFrame(strings.TrimSpace(o.Crash[i-1]))
			}
			fmt.Fprintf(w, "    at %s (%s)\n", e.relLine(loc), fn)
		}
	}
	fmt.Fprintln(w)
}

// frameOffset matches what follows file:line in a trace: "+0x2a", and with
// GOTRACEBACK=system the frame's fp, sp and pc.
var frameOffset = regexp.MustCompile(`\s+\+0x[0-9a-f]+.*$`)

// shortFrame turns "workbook/lessons/07-n-plus-one.SpendingReport.func1(...)"
// into "SpendingReport.func1".
func shortFrame(fn string) string {
	if rest, ok := strings.CutPrefix(fn, "created by "); ok {
		rest, _, _ = strings.Cut(rest, " in goroutine")
		return "the go statement in " + shortFrame(rest)
	}
	if i := strings.LastIndex(fn, "("); i > 0 {
		fn = fn[:i]
	}
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

func isLearnerLine(line string, files []string) bool {
	for _, f := range files {
		if strings.Contains(line, f) {
			return true
		}
	}
	return false
}

// relLine rewrites absolute paths inside the workbook in line to paths
// relative to the working directory.
func (e *env) relLine(line string) string {
	return learnerFrame.ReplaceAllStringFunc(line, func(m string) string {
		if filepath.IsAbs(m) {
			return e.show(m)
		}
		return m
	})
}

// renderBuild shows compile errors with file and line.
func (e *env) renderBuild(o *runner.Outcome) {
	w, l := e.stdout, o.Lesson
	inChecks := false
	for _, line := range o.Build {
		if strings.Contains(line, "_test.go:") {
			inChecks = true
		}
	}
	if inChecks {
		fmt.Fprintln(w, "The lesson does not compile with your file. The checks use names your file must keep\n"+
			"declaring (types, fields, functions, with the same signatures):")
	} else {
		fmt.Fprintln(w, "Your code does not compile:")
	}
	for _, line := range o.Build {
		fmt.Fprintf(w, "  %s\n", printable(e.buildLine(line)))
	}
	fmt.Fprintf(w, "\nFix the error above and run %s again.\n", e.runCmd(l))
}

// buildLine shows a compiler message with its path relative to the working
// directory: go test reports paths relative to the workbook's root.
func (e *env) buildLine(line string) string {
	path, rest, ok := strings.Cut(line, ":")
	if !ok || !strings.HasSuffix(path, ".go") {
		return line
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(e.root, path)
	}
	return e.show(path) + ":" + rest
}

// printable shows the control characters of text that came from the
// learner's code (an error message, a panic value) as escapes, so that it
// cannot move the cursor, clear the screen or recolour the report.
func printable(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
}

func indentText(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// byteSize writes a size in bytes as people read it: 8 MB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// shortDuration writes d with two or three significant digits, as a person
// reads a time: 41µs, 1.2ms, 35ms, 2.1s.
func shortDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Round(time.Millisecond).Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
