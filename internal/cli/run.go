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

	"workbook/internal/lesson"
	"workbook/internal/results"
	"workbook/internal/runner"
)

var cmdRun = &command{
	name:  "run",
	usage: "run [-v] [-timeout d] [-run-timeout d] [lesson]",
	short: "run a lesson's checks on your code",
	long: `Run builds the lesson with your file and runs its checks. Each check runs
your code on a private copy of a seeded database, counts the statements it
sends, and compares what it returns with the expected result. Run prints
every check with PASS or FAIL and its statement count against the budget,
then explains the first failure.

With no lesson, run picks the first lesson you have not passed. The exit
status is 0 only when every check passed.

The flags are:

  -v
	Explain every failing check in full, not just the first.
  -timeout d
	How long one check may wait for your code on one data set before it
	gives up (default 5s).
  -run-timeout d
	How long all the checks may take once the lesson is built before the
	workbook stops them (default: the lesson's own limit, usually 60s).`,
}

func init() {
	cmdRun.run = func(e *env, args []string) int {
		fs := e.flags(cmdRun)
		verbose := fs.Bool("v", false, "")
		checkTimeout := fs.Duration("timeout", 0, "")
		runTimeout := fs.Duration("run-timeout", 0, "")
		if ok, code := e.parse(cmdRun, fs, args); !ok {
			return code
		}
		if *checkTimeout < 0 || *runTimeout < 0 {
			return e.usageError(cmdRun, "a timeout must be positive")
		}
		l, st, code := e.chosenLesson(cmdRun, fs.Args(),
			"Every lesson has passed. Well done! Run one again by name: "+e.self+" run 7")
		if l == nil {
			return code
		}

		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		out, err := runner.Run(ctx, e.root, l, runner.Options{
			CheckTimeout: *checkTimeout,
			RunTimeout:   *runTimeout,
			Preparing: func() {
				fmt.Fprintf(e.stderr, "Building lesson %d… (the very first build compiles SQLite's C source, which takes a minute or two)\n", l.Number)
			},
		})
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(e.stderr, "workbook: interrupted; the checks were stopped")
			return exitFail
		}
		if err != nil {
			return e.fail(err)
		}
		st.SetPassed(l.ID(), out.Passed())
		e.render(out, *verbose, e.current(st))
		if err := st.Save(e.root); err != nil {
			fmt.Fprintf(e.stderr, "workbook: your progress could not be saved: %v\n", err)
		}
		if out.Passed() {
			return exitOK
		}
		return exitFail
	}
}

// render prints what a run found.
func (e *env) render(o *runner.Outcome, verbose bool, next *lesson.Lesson) {
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
		line := fmt.Sprintf("  %s  %-*s  %s", e.statusWord(o, c), width, c.Check.Name, countText(c.Verdict))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(w)

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
		fmt.Fprintf(w, "%s: %s\n", c.Check.Name, printable(firstLine(c.Verdict.Failures)))
	}
	if shownFull && !verbose && e.failing(o) > 1 {
		fmt.Fprintf(w, "%s\n", s.dim(fmt.Sprintf("(%s -v explains every failing check in full)", e.runCmd(l))))
	}
	if shownFull {
		fmt.Fprintln(w)
	}

	switch {
	case o.Stopped:
		fmt.Fprintf(w, "Stopped after %s: the checks were still running, so the workbook stopped them.\n"+
			"Your code probably never returns: look for a loop that never ends, or a wait for something\n"+
			"that never comes (rows left open while another statement waits, a transaction never committed).\n\n", o.Limit)
	case len(o.Crash) > 0:
		e.renderCrash(o)
	}
	if len(o.Undeclared) > 0 {
		fmt.Fprintf(w, "Note for the lesson's author: checks ran that %s does not declare: %s\n\n",
			filepath.Join("lessons", l.ID(), lesson.ManifestName), strings.Join(o.Undeclared, ", "))
	}

	if o.Passed() {
		fmt.Fprintf(w, "%s\n", s.green(fmt.Sprintf("All %d checks pass. Lesson %d is done!", len(o.Checks), l.Number)))
		if next != nil {
			fmt.Fprintf(w, "Next: lesson %d, %s: %s\n", next.Number, next.Title, e.runCmd(next))
		} else {
			fmt.Fprintln(w, "Every lesson has passed. Well done!")
		}
		return
	}
	fmt.Fprintf(w, "%d of %d checks pass. Edit %s, then run it again: %s\nStuck? %s\n",
		o.PassCount(), len(o.Checks), e.lessonFiles(l), e.runCmd(l), e.hintCmd(l))
}

func (e *env) failing(o *runner.Outcome) int {
	n := 0
	for _, c := range o.Checks {
		if c.Verdict != nil && !c.Verdict.Passed() {
			n++
		}
	}
	return n
}

func (e *env) statusWord(o *runner.Outcome, c runner.CheckOutcome) string {
	word := "NOT RUN"
	switch {
	case c.Verdict == nil && c.Started && o.Stopped:
		word = "STOPPED"
	case c.Verdict == nil && c.Started:
		word = "CRASHED"
	case c.Verdict == nil:
	case c.Verdict.Status == results.StatusPass:
		return e.style.green(fmt.Sprintf("%-7s", "PASS"))
	default:
		word = strings.ToUpper(string(c.Verdict.Status))
	}
	return e.style.red(fmt.Sprintf("%-7s", word))
}

// countText is the statement count against the budget.
func countText(v *results.Verdict) string {
	if v == nil {
		return ""
	}
	n := results.Count(v.Statements) + " statements"
	if v.Statements == 1 {
		n = "1 statement"
	}
	if v.MaxStatements > 0 {
		n += " (budget " + results.Count(v.MaxStatements) + ")"
	}
	return n
}

func firstLine(fs []results.Failure) string {
	if len(fs) == 0 {
		return ""
	}
	msg := fs[0].Message
	if strings.HasPrefix(msg, "(") {
		// Skip the variant note to the failure itself.
		if i := strings.Index(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
	}
	// "… returned the wrong result:" says little without what follows:
	// add the line that follows a colon.
	lines := strings.Split(msg, "\n")
	line := lines[0]
	for i := 1; i < len(lines) && i < 2 && strings.HasSuffix(line, ":"); i++ {
		line += " " + strings.TrimSpace(lines[i])
	}
	return strings.TrimSuffix(line, ":")
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
	shownKinds := map[string]bool{}
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
			fmt.Fprintln(w, indentText(printable(f.Message), "  "))
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
	var learner []string
	for _, f := range o.Lesson.Files {
		learner = append(learner, filepath.Join(o.Lesson.Dir, filepath.FromSlash(f)))
	}
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
