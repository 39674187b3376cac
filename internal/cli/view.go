package cli

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// A view shows the learner what a run of a lesson's checks found: the
// report of workbook run, of each run in watch mode, and of a reference
// solution that fails in workbook dev. It writes to w, in style; it shows
// paths and commands as the learner types them in their shell.
type view struct {
	w     io.Writer
	style style
	shell
	root string // the workbook's root: compiler messages give paths from it

	// What to show, from run's flags.
	verbose bool // explain every failing check in full, not only the first
	explain bool // list every statement each check ran
	// explainAll lists every statement, not cutting long runs of one shape.
	explainAll bool
	latency    time.Duration // the simulated latency of each statement, shown with the times

	// watching is set in watch mode, where keys, not commands, run the
	// checks again and go on to the next lesson.
	watching bool
}

// view returns a view of e's output, for the workbook e has found.
func (e *env) view() *view {
	return &view{w: e.stdout, style: e.style, shell: e.shell, root: e.root}
}

// render shows what a run found; next is the lesson to go on to, nil when
// every lesson has passed, and rec what the learner's progress holds of the
// lesson run.
func (v *view) render(o *runner.Outcome, next *lesson.Lesson, rec lessonRecord) {
	w, s, l := v.w, v.style, o.Lesson
	fmt.Fprintf(w, "%s\n", s.bold(fmt.Sprintf("Lesson %d: %s", l.Number, l.Title)))
	fmt.Fprintf(w, "Your file: %s\n\n", v.lessonFiles(l))

	if len(o.Build) > 0 {
		v.renderBuild(o)
		v.renderPassedBefore(l, rec)
		return
	}

	width := 0
	for _, c := range o.Checks {
		width = max(width, len(c.Check.Name))
	}
	for _, c := range o.Checks {
		count := countText(c.Verdict)
		if c.Verdict != nil && c.Verdict.Score != nil {
			count = "" // the statements are the trackers', on copies of their own
		}
		line := fmt.Sprintf("  %s  %-*s  %s", v.statusWord(c), width, c.Check.Name, count)
		if v.latency > 0 && c.Verdict != nil {
			line += "  " + shortDuration(time.Duration(c.Verdict.DBTime+c.Verdict.Waited))
		}
		if c.Verdict != nil {
			if t := timingSummary(c.Verdict.Timings); t != "" {
				line += "  " + t
			}
			if t := scoreSummary(c.Verdict.Score); t != "" {
				line += "  " + t
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		if v.verbose && c.Verdict != nil {
			for _, t := range c.Verdict.Timings {
				fmt.Fprintf(w, "      %s\n", timingDetail(t))
			}
		}
	}
	fmt.Fprintln(w)
	if v.latency > 0 {
		fmt.Fprintf(w, "Times are those of the statements on each check's own data set, each with %s of\nsimulated network latency.\n\n", v.latency)
	}
	v.renderChart(o)
	if v.explain {
		v.renderExplain(o)
	}

	shownFull := false
	for _, c := range o.Checks {
		if c.Verdict == nil || c.Verdict.Passed() {
			continue
		}
		if !shownFull || v.verbose {
			v.renderFailure(c)
			shownFull = true
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", c.Check.Name, printable(summary(c.Verdict.Failures)))
	}
	if shownFull && !v.verbose && o.Failing() > 1 {
		fmt.Fprintf(w, "%s\n", s.dim(fmt.Sprintf("(%s -v explains every failing check in full)", v.runCmd(l))))
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
	case o.Unreadable != "":
		fmt.Fprintf(w, "The checks' verdicts could not be read: %s.\n"+
			"Something in your code removed or replaced the file the checks write them to; leave it be.\n\n", printable(o.Unreadable))
	case !o.Complete():
		v.renderCrash(o)
	}
	if len(o.Undeclared) > 0 {
		fmt.Fprintf(w, "Note for the lesson's author: checks ran that %s does not declare: %s\n\n",
			l.Rel(l.ManifestPath()), strings.Join(o.Undeclared, ", "))
	}

	if o.Passed() {
		fmt.Fprintf(w, "%s\n", s.green(fmt.Sprintf("All %d checks pass. Lesson %d is done!", len(o.Checks), l.Number)))
		fmt.Fprintf(w, "See how the reference solution does it: %s\n", v.solutionCmd(l))
		switch {
		case next != nil && v.watching:
			fmt.Fprintf(w, "Next: lesson %d, %s: press n\n", next.Number, next.Title)
		case next != nil:
			fmt.Fprintf(w, "Next: lesson %d, %s: %s\n", next.Number, next.Title, v.runCmd(next))
		case rec.failingElsewhere > 0:
			fmt.Fprintf(w, "Every lesson has passed once, and %d %s now: %s verify runs them all again.\n",
				rec.failingElsewhere, plural(rec.failingElsewhere, "fails", "fail"), v.self)
		default:
			fmt.Fprintln(w, "Every lesson has passed. Well done!")
		}
		return
	}
	v.renderPassedBefore(l, rec)
	if v.watching {
		fmt.Fprintf(w, "%d of %d checks pass.\n", o.PassCount(), len(o.Checks))
		return
	}
	fmt.Fprintf(w, "%d of %d checks pass. Edit %s, then run it again: %s\nStuck? %s\n",
		o.PassCount(), len(o.Checks), v.lessonFiles(l), v.runCmd(l), v.hintCmd(l))
}

// renderPassedBefore says, of a lesson that fails now, that it passed
// before, when rec says it did.
func (v *view) renderPassedBefore(l *lesson.Lesson, rec lessonRecord) {
	if rec.passed {
		fmt.Fprintf(v.w, "Lesson %d %s: what changed since?\n", l.Number, rec.passedBefore())
	}
}

// statusWord is the status of check c, as the report's first column shows
// it.
func (v *view) statusWord(c runner.CheckOutcome) string {
	if c.Status.Passed() {
		return v.style.green(fmt.Sprintf("%-7s", "PASS"))
	}
	return v.style.red(fmt.Sprintf("%-7s", strings.ToUpper(string(c.Status))))
}

// timingSummary says in a few words what the speed and growth figures of
// a check were: "1.4× the reference's time (limit 5×)". Of each kind it
// gives the first that did not hold, or else the first.
func timingSummary(ts []protocol.Timing) string {
	var kinds []protocol.TimingKind
	shown := map[protocol.TimingKind]protocol.Timing{}
	for _, t := range ts {
		first, seen := shown[t.Kind]
		switch {
		case !seen:
			kinds = append(kinds, t.Kind)
			shown[t.Kind] = t
		case first.Held && !t.Held:
			shown[t.Kind] = t
		}
	}
	var parts []string
	for _, k := range kinds {
		t := shown[k]
		switch t.Kind {
		case protocol.TimingSpeed:
			parts = append(parts, fmt.Sprintf("%s× the reference's time (limit %s×)", ratioText(t.Ratio), ratioText(t.Limit)))
		case protocol.TimingGrowth:
			parts = append(parts, fmt.Sprintf("grew %s× from %s, the reference %s× (limit %s× its growth)",
				ratioText(t.LearnerGrowth), t.From, ratioText(t.ReferenceGrowth), ratioText(t.Limit)))
		}
	}
	return strings.Join(parts, "; ")
}

// timingDetail gives a timing's measurements, for -v.
func timingDetail(t protocol.Timing) string {
	runs := fmt.Sprintf("medians of %d runs each, of %s", t.Runs, t.Clock)
	if t.Runs == 1 {
		runs = "one run each, of " + t.Clock
	}
	if t.Kind == protocol.TimingGrowth {
		return fmt.Sprintf("on %s: yours %s, the reference %s; on %s: yours %s, the reference %s (%s)",
			t.From, shortDuration(time.Duration(t.LearnerFrom)), shortDuration(time.Duration(t.ReferenceFrom)),
			t.Data, shortDuration(time.Duration(t.Learner)), shortDuration(time.Duration(t.Reference)), runs)
	}
	return fmt.Sprintf("on %s: yours %s, the reference %s (%s)",
		t.Data, shortDuration(time.Duration(t.Learner)), shortDuration(time.Duration(t.Reference)), runs)
}

// ratioText writes a ratio with one decimal, or none when it is whole.
func ratioText(r float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", r), ".0")
}

// countText is the statement count against the budget. For a check that
// failed it is the count on the data set whose failure is explained below
// (the first failure's), so that the line and the explanation agree; when
// another data set ran more, it says so.
func countText(v *protocol.Verdict) string {
	if v == nil {
		return ""
	}
	count, other := v.Statements, ""
	if len(v.Failures) > 0 {
		if f := v.Failures[0]; f.Data != "" && f.Statements != v.Statements {
			count = f.Statements
			other = fmt.Sprintf(" on %s, %s on another data set", f.Data, protocol.Count(v.Statements))
		}
	}
	n := protocol.Counted(count, "statement")
	if v.MaxStatements > 0 {
		n += " (budget " + protocol.Count(v.MaxStatements) + ")"
	}
	return n + other
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
func (v *view) renderFailure(c runner.CheckOutcome) {
	w, verdict := v.w, c.Verdict
	title := c.Check.Name
	if c.Check.About != "" {
		title += ": " + c.Check.About
	}
	fmt.Fprintf(w, "%s\n", v.style.bold("── "+title))
	shownKinds := map[protocol.Kind]bool{}
	shownOn := map[string]bool{}     // data sets with a failure shown
	variantSaid := map[string]bool{} // data sets whose VariantOnly note was given
	first := ""
	var also []string
	for _, f := range verdict.Failures {
		if first == "" {
			first = f.Data
		}
		if f.Data == first || !shownKinds[f.Kind] {
			if f.Data != first && len(verdict.Data) > 1 && !shownOn[f.Data] {
				fmt.Fprintf(w, "  On %s:\n", f.Data)
			}
			text := f.Text()
			if variantSaid[f.Data] {
				text = f.Message // the note on the hidden data set, once
			}
			variantSaid[f.Data] = variantSaid[f.Data] || f.VariantOnly
			fmt.Fprintln(w, indentText(printable(text), "  "))
			shownKinds[f.Kind] = true
			shownOn[f.Data] = true
			continue
		}
		if !contains(also, f.Data) {
			also = append(also, f.Data)
		}
	}
	var same, more []string
	for _, d := range also {
		if shownOn[d] {
			more = append(more, d)
		} else {
			same = append(same, d)
		}
	}
	if len(same) > 0 {
		fmt.Fprintf(w, "  (It fails the same way on %s.)\n", strings.Join(same, ", "))
	}
	if len(more) > 0 {
		fmt.Fprintf(w, "  (On %s it also fails in the ways shown for %s.)\n", strings.Join(more, ", "), first)
	}
}

var learnerFrame = regexp.MustCompile(`\S+\.go:\d+`)

// renderCrash shows how the test program ended when it ended without giving
// every verdict.
func (v *view) renderCrash(o *runner.Outcome) {
	w := v.w
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
	learner := o.Lesson.LearnerPaths()
	exited := !hasTrace(o.Crash)
	note := ""
	if exited {
		note = exitNote(exitCalls(learner), v.show)
	}
	if len(o.Crash) == 0 && note == "" {
		fmt.Fprintln(w, "It printed nothing: something ended it at once, such as os.Exit, log.Fatal or a signal.")
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
			fmt.Fprintf(w, "    at %s (%s)\n", v.relLine(loc), fn)
		}
	}
	if note != "" {
		fmt.Fprintln(w, note)
	}
	fmt.Fprintln(w)
}

// hasTrace reports whether what a program printed as it ended holds a Go
// stack trace: a panic's or the runtime's.
func hasTrace(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "goroutine ") {
			return true
		}
	}
	return false
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
func (v *view) relLine(line string) string {
	return learnerFrame.ReplaceAllStringFunc(line, func(m string) string {
		if filepath.IsAbs(m) {
			return v.show(m)
		}
		return m
	})
}

// renderBuild shows compile errors with file and line. An error in the
// checks is a name of the learner's file that they use and no longer find
// as the lesson declared it: said first, in the learner's terms, with where
// the checks use it and where the file declares it.
func (v *view) renderBuild(o *runner.Outcome) {
	w, l := v.w, o.Lesson
	var told []string
	for _, p := range o.BuildProblems {
		if t := v.buildProblem(p); t != "" {
			told = append(told, t)
		}
	}
	if outside := v.outsideLesson(o); len(outside) > 0 {
		fmt.Fprintf(w, "The workbook's own code does not compile: the errors are in %s, not in your\n"+
			"lesson's files. If you changed files outside your lesson, put them back (git status shows\n"+
			"which; git checkout -- <file> restores one); if you did not, this is the workbook's fault:\n"+
			"please report it.\n", strings.Join(outside, ", "))
		for _, line := range o.Build {
			fmt.Fprintf(w, "  %s\n", printable(v.buildLine(line)))
		}
		return
	}
	if len(told) > 0 {
		fmt.Fprintln(w, "The lesson does not compile with your file:")
		for _, t := range told {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(printable(t), "\n", "\n  "))
		}
		fmt.Fprintln(w, "\nThe compiler said:")
	} else {
		fmt.Fprintln(w, "Your code does not compile:")
	}
	for _, line := range o.Build {
		fmt.Fprintf(w, "  %s\n", printable(v.buildLine(line)))
	}
	fmt.Fprintf(w, "\nFix the error above and run %s again.\n", v.runCmd(l))
}

// outsideLesson returns the files, shown as the learner sees them, that
// the compile errors name when none of them is in the lesson's folder: the
// workbook's own packages (checker/, internal/) do not build, which no
// change to the learner's file explains. It returns nil otherwise.
func (v *view) outsideLesson(o *runner.Outcome) []string {
	var outside []string
	for _, line := range o.Build {
		path, _, ok := strings.Cut(line, ":")
		if !ok || !strings.HasSuffix(path, ".go") {
			continue
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(v.root, path)
		}
		if rel, err := filepath.Rel(o.Lesson.Dir, path); err == nil && !strings.HasPrefix(rel, "..") {
			return nil // an error in the lesson's own folder
		}
		if shown := v.show(path); !slices.Contains(outside, shown) {
			outside = append(outside, shown)
		}
	}
	return outside
}

// buildProblem words a compile error that stands between the checks and
// the learner's file, or returns "" for one the compiler's words explain.
func (v *view) buildProblem(p runner.BuildProblem) string {
	at := func(pos string) string { return v.buildLine(pos) }
	switch {
	case p.Kind == runner.BuildRedeclared:
		if p.Declared == "" {
			return ""
		}
		return fmt.Sprintf("%s is declared twice in the lesson's package: at %s and at %s. Keep one.", p.Name, at(p.Declared), at(p.At))
	case !p.InChecks():
		return ""
	case p.Kind == runner.BuildMissing:
		t := fmt.Sprintf("The checks use %s (%s), and your file does not declare it.", p.Name, at(p.At))
		switch {
		case p.Similar != "":
			t += fmt.Sprintf("\n  It declares %s (%s): the checks are a package of their own and see only exported\n"+
				"  names, which start with a capital letter. Keep the name %s.", p.Similar, at(p.SimilarAt), p.Name)
		case p.Want != "":
			t += fmt.Sprintf("\n  Keep it as the lesson declares it: %s", p.Want)
		}
		return t
	case p.Kind == runner.BuildSignature:
		t := fmt.Sprintf("The checks use %s as the lesson declares it (%s), and your file declares it differently.", p.Name, at(p.At))
		if p.Have != "" {
			t += fmt.Sprintf("\n  yours (%s):  %s", at(p.Declared), p.Have)
		}
		if p.Want != "" {
			t += fmt.Sprintf("\n  the lesson's:  %s", p.Want)
		}
		if strings.HasPrefix(p.Have, "const ") && strings.HasPrefix(p.Want, "var ") {
			t += fmt.Sprintf("\n  The checks set %s, and a constant cannot be set: keep it a var.", p.Name)
		}
		return t
	case p.Kind == runner.BuildMember:
		typ, member, _ := strings.Cut(p.Name, ".")
		if p.Declared == "" {
			return fmt.Sprintf("The checks use the field or method %s of %s (%s), and your file does not declare %s.", member, typ, at(p.At), typ)
		}
		return fmt.Sprintf("The checks use the field or method %s of %s (%s), and your %s (%s) has none.", member, typ, at(p.At), typ, at(p.Declared))
	}
	return ""
}

// buildLine shows a compiler message with its path relative to the working
// directory: go test reports paths relative to the workbook's root.
func (v *view) buildLine(line string) string {
	path, rest, ok := strings.Cut(line, ":")
	if !ok || !strings.HasSuffix(path, ".go") {
		return line
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(v.root, path)
	}
	return v.show(path) + ":" + rest
}

// renderRecheck shows the re-check that passing the last lesson leads to.
func (v *view) renderRecheck(lines []rechecked) {
	w := v.w
	fmt.Fprintf(w, "\n%s\n", v.style.bold("That was the last lesson. Checking the lessons you passed again, in case a later change broke one:"))
	broken, pending := 0, 0
	var firstBroken *lesson.Lesson
	for _, rc := range lines {
		state, note := v.style.green("PASS"), ""
		switch rc.state {
		case recheckBroken:
			broken++
			if firstBroken == nil {
				firstBroken = rc.lesson
			}
			state, note = v.style.red("FAIL"), "  (no longer passes)"
		case recheckPending:
			pending++
			state, note = "----", "  (not passed yet)"
		}
		fmt.Fprintf(w, "  %s  %2d  %s%s\n", state, rc.lesson.Number, rc.lesson.Title, note)
	}
	fmt.Fprintln(w)
	if broken == 0 && pending == 0 {
		fmt.Fprintf(w, "%s\n", v.style.green(fmt.Sprintf("All %d lessons pass. You have finished the workbook. Well done!", len(lines))))
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
		fmt.Fprintf(w, "See what broke: %s\n", v.runCmd(firstBroken))
	}
}

// plural returns one when n is 1, and other otherwise.
func plural(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}

// link shows path as the learner can type it, and on a colour terminal
// also as a link a click opens (OSC 8, which terminals that do not know it
// ignore).
func (v *view) link(path string) string {
	shown := v.show(path)
	if !v.style.color {
		return shown
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return shown
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	return "\x1b]8;;" + u.String() + "\x1b\\" + shown + "\x1b]8;;\x1b\\"
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
