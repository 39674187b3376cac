package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/protocol"
	"workbook/internal/runner"
	"workbook/internal/watch"

	"golang.org/x/term"
)

// cmdWatch is workbook watch, and workbook with no command on a terminal.
var cmdWatch = &command{
	name:  "watch",
	args:  "[lesson]",
	short: "run the lesson you are on again each time you save it",
	long: `Watch runs the lesson you are on (or the one you name), shows what its
checks found, and runs them again each time you save your file. It is what
workbook does with no command, on a terminal.

Below the result, a progress bar and the file you edit stay on screen, and
single keys act at once:

  h   show the next hint
  l   list the lessons and where you are
  n   go on to the next lesson you have not passed (once this one has)
  r   run the checks again (Enter does too)
  x   reset your file to the shipped version (asks first; yours is kept)
  q   quit (Ctrl-C does too)

A run that hangs, or prints without end, is stopped at its time limit and
said to be, and watch goes on.

When its input is not a terminal, watch reads one key a line (type h, then
Enter), and does not watch your file: run the checks again with r. Ending
the input quits.`,
	run: withFlags((*watchOptions).setFlags, runWatch),
}

// watchOptions are the flags of watch.
type watchOptions struct {
	manual bool
}

// setFlags declares the flags of watch into o.
func (o *watchOptions) setFlags(fs *flagSet) {
	fs.BoolVar(&o.manual, "manual", false, `Do not watch your file: run the checks again with r (or Enter). For
machines where watching files does not work (some network and shared
folders).`)
}

// runWatch runs the checks of the lesson args name, or of the one the
// learner is on, and again each time the learner saves it or presses r,
// until they quit.
func runWatch(e *env, opt watchOptions, args []string) int {
	l, st, code := e.chosenLesson(args,
		"Every lesson has passed. Well done! Watch one again by name: "+e.self+" watch 7")
	if l == nil {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	s, restore := openSession(e, st, l, opt.manual)
	defer restore()
	return s.loop(ctx)
}

// openSession sets up a watch session of lesson l on e's input and output:
// on a terminal, keys read raw and the screen redrawn as one frame. The
// caller gives the terminal back with restore.
func openSession(e *env, st *progress.State, l *lesson.Lesson, manual bool) (s *session, restore func()) {
	in := newKeyInput(e.stdin)
	width, height := terminalWidth(e.stdout), terminalHeight(e.stdout)
	if !in.lineMode {
		// Raw mode: "\n" no longer starts a line at the left margin.
		e.stdout, e.stderr = crlf{e.stdout}, crlf{e.stderr}
	}
	v := e.view()
	v.watching = true
	s = &session{e: e, v: v, st: st, l: l, keys: in.keys, lineMode: in.lineMode, manual: manual || in.lineMode,
		out: e.stdout, screen: v.style.term, width: width, height: height}
	s.runChecks = e.runChecks
	if !s.screen {
		return s, in.restore
	}
	resized, stop := notifyResize()
	s.resized = resized
	return s, func() { stop(); in.restore() }
}

// terminalWidth returns a function that reads how many columns the
// terminal w is wide now, or 0 when w is no terminal.
func terminalWidth(w io.Writer) func() int {
	return terminalSize(w, func(cols, _ int) int { return cols })
}

// terminalHeight returns a function that reads how many rows the terminal
// w is high now, or 0 when w is no terminal.
func terminalHeight(w io.Writer) func() int {
	return terminalSize(w, func(_, rows int) int { return rows })
}

func terminalSize(w io.Writer, pick func(cols, rows int) int) func() int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() int { return 0 }
	}
	return func() int {
		cols, rows, err := term.GetSize(int(f.Fd()))
		if err != nil {
			return 0
		}
		return pick(cols, rows)
	}
}

// session is a watch mode session.
type session struct {
	e        *env
	v        *view // shows each run, and the footer below it
	st       *progress.State
	l        *lesson.Lesson // the lesson on screen
	keys     <-chan string
	lineMode bool // keys come a line at a time, and are read only between runs
	manual   bool // no file watching: r runs the checks again

	// On a screen (a terminal that understands escapes), each result, and
	// each key's answer, redraws the whole screen as one frame: the result,
	// what the key showed below it, and the footer once, broken at spaces
	// to the terminal's width. Elsewhere (a pipe, a file) they follow one
	// another.
	out    io.Writer  // the terminal or the output, past what capture swaps
	screen bool       // redraw frames
	width  func() int // the terminal's width now; 0 when not known
	height func() int // the terminal's height now; 0 when not known (nil: not known)
	// resized receives when the terminal is resized, to redraw the frame
	// at its new width; nil when nothing says so.
	resized <-chan os.Signal
	result  string // the frame's result: what the last run showed
	aside   string // what the last key showed below the result
	kept    string // an aside to keep through the next run's frame

	watcher  *watch.Watcher
	watchErr error // why the file is not watched, when it could not be

	// runChecks runs a lesson's checks; tests replace it.
	runChecks func(ctx context.Context, l *lesson.Lesson, was map[string]standing, opt runOptions) (*lessonRun, error)

	last     *runner.Outcome // the last run of l that finished, or nil
	finished bool            // every lesson has passed: no need to say how to come back
	cancel   context.CancelFunc
	done     chan runDone // the run under way sends here; nil when none is
}

// runDone is the end of a run.
type runDone struct {
	run *lessonRun
	err error
}

// loop runs the session until the learner quits, the input ends, or a
// signal comes, and returns the exit status.
func (s *session) loop(ctx context.Context) int {
	defer s.stopWatching()
	s.watchLesson()
	s.start(ctx)
	for {
		keys := s.keys
		if s.done != nil && s.lineMode {
			keys = nil // one line at a time, each after the run before it
		}
		select {
		case <-ctx.Done():
			s.stop()
			s.bye()
			return exitOK
		case d := <-s.done:
			s.finish(d)
		case k, ok := <-keys:
			if !ok || !s.key(ctx, k) {
				s.stop()
				s.bye()
				return exitOK
			}
		case <-s.changes():
			s.stop()
			fmt.Fprintf(s.e.stdout, "\nSaved: running lesson %d's checks again…\n", s.l.Number)
			s.start(ctx)
		case <-s.resized:
			if s.done == nil && s.result != "" {
				s.redraw() // a run under way draws its frame when it ends
			}
		case err := <-s.watchErrors():
			fmt.Fprintf(s.e.stderr, "workbook: watching your file: %v\n", err)
		}
	}
}

// key acts on a key the learner pressed; it returns false to quit.
func (s *session) key(ctx context.Context, k string) bool {
	if s.done != nil {
		if k == keyQuit {
			return false
		}
		fmt.Fprintln(s.out, "(The checks are running: wait for them, or press q to quit.)")
		return true
	}
	switch k {
	case keyQuit:
		return false
	case keyEnter, "r":
		s.start(ctx)
	case "h":
		s.show(s.hint)
	case "l":
		s.refresh()
		s.show(func() { s.e.printList(s.st) })
	case "n":
		return s.next(ctx)
	case "x":
		return s.reset(ctx)
	default:
		s.show(func() { fmt.Fprintf(s.e.stdout, "No key %q here.\n", k) })
	}
	return true
}

// hint shows the next hint of the lesson on screen: the h key.
func (s *session) hint() {
	s.refresh()
	if err := s.e.showHint(s.l, s.st, "Press h again"); err != nil {
		fmt.Fprintf(s.e.stderr, "workbook: %v\n", err)
	}
}

// next goes on to the next lesson never passed, once the lesson on screen
// has passed: the n key. It returns false when every lesson has passed.
func (s *session) next(ctx context.Context) bool {
	if s.last == nil || !s.last.Passed() {
		s.show(func() {
			fmt.Fprintf(s.e.stdout, "Lesson %d has not passed yet: n moves on once it does. (h shows a hint.)\n", s.l.Number)
		})
		return true
	}
	s.refresh()
	next := s.e.nextAfter(s.l, s.st)
	if _, failing := s.e.tally(s.st); next == nil && failing > 0 {
		fmt.Fprintf(s.out, "\nEvery lesson has passed once, and %d %s now: %s verify runs them all again.\n",
			failing, plural(failing, "fails", "fail"), s.e.self)
		s.finished = true
		return false
	}
	if next == nil {
		fmt.Fprintf(s.out, "\n%s\n", s.e.style.green("Every lesson has passed. Well done!"))
		s.finished = true
		return false
	}
	s.l, s.last = next, nil
	s.watchLesson()
	s.start(ctx)
	return true
}

// show shows what fn writes below the result: on a screen, in a frame
// redrawn; elsewhere after what is there, with the footer again.
func (s *session) show(fn func()) {
	if s.screen {
		s.aside = s.capture(fn)
		s.redraw()
		return
	}
	fmt.Fprintln(s.out)
	fn()
	s.footer()
}

// capture returns what fn writes to the session's output and errors,
// instead of writing it, with prose wrapped to the terminal's width.
// Nothing else writes to them meanwhile: no run is under way.
func (s *session) capture(fn func()) string {
	var b strings.Builder
	e, v := s.e, s.v
	stdout, stderr, vw := e.stdout, e.stderr, v.w
	e.stdout, e.stderr, v.w, e.width = &b, &b, &b, s.width()
	defer func() { e.stdout, e.stderr, v.w, e.width = stdout, stderr, vw, 0 }()
	fn()
	return b.String()
}

// redraw draws the screen anew as one frame: the result of the last run,
// what a key showed below it, then the footer, each line broken at spaces
// to the terminal's width, read again each time, so that a resized
// terminal gets frames of its new width.
func (s *session) redraw() {
	width, height := s.width(), 0
	if s.height != nil {
		height = s.height()
	}
	lines := func(text string) []string {
		text = strings.TrimSuffix(wrapScreen(text, width), "\n")
		if text == "" {
			return nil
		}
		return strings.Split(text, "\n")
	}
	var aside []string
	if s.aside != "" {
		aside = append([]string{""}, lines(s.aside)...)
	}
	frame := fitFrame(lines(s.result), aside, lines(s.capture(s.footer)), height)
	fmt.Fprint(s.out, "\x1b[H\x1b[2J"+strings.Join(frame, "\n")+"\n")
}

// fitFrame puts a frame's lines together: the result, what a key showed
// (aside), then the footer. When they are more than a terminal height rows
// high (0: no limit), so that its top would scroll out of sight, the footer
// stays whole, the aside (what the learner just asked for) as much of it as
// fits, and the result is cut after its first lines, the checks' list and
// the start of the first failure; a line says how many lines are not shown.
func fitFrame(result, aside, footer []string, height int) []string {
	all := append(append(append([]string(nil), result...), aside...), footer...)
	if height <= 0 || len(all) < height {
		return all
	}
	// One row stays free for the cursor after the last line.
	room := height - 1 - len(footer)
	if room < 2 {
		return all[len(all)-(height-1):]
	}
	keepResult := min(len(result), max(room/3, 1))
	rest := room - keepResult
	if keepResult < len(result) {
		rest-- // the line that says the result was cut
	}
	keepAside := len(aside)
	if keepAside > rest {
		keepAside = max(rest-1, 0) // and the line that says the aside was
	} else {
		keepResult += min(rest-keepAside, len(result)-keepResult)
	}
	more := func(n int) string {
		return fmt.Sprintf("  … %s more (make the window taller to see them all)", protocol.Counted(n, "line"))
	}
	out := append([]string(nil), result[:keepResult]...)
	if keepResult < len(result) {
		out = append(out, more(len(result)-keepResult))
	}
	out = append(out, aside[:keepAside]...)
	if keepAside < len(aside) {
		out = append(out, more(len(aside)-keepAside))
	}
	return append(out, footer...)
}

// reset asks, then resets the learner's file of the lesson and runs it
// again: the x key. It returns false when the input ended while it asked.
func (s *session) reset(ctx context.Context) bool {
	ended := false
	confirm := func(question string) bool {
		fmt.Fprintf(s.out, "\n%s [y/N] ", question)
		k, ok := <-s.keys
		fmt.Fprintln(s.out)
		ended = !ok
		return ok && k == "y"
	}
	var res resetResult
	var err error
	do := func() {
		if res, err = s.e.resetLesson(s.l, s.st, confirm, time.Now()); err != nil {
			fmt.Fprintf(s.e.stderr, "workbook: %v\n", err)
		}
	}
	note := ""
	if s.screen {
		note = s.capture(do)
	} else {
		do()
	}
	switch {
	case err == nil && ended:
		return false
	case err == nil && res == resetDone:
		// Where the learner's file went stays on screen through the run.
		s.last, s.kept = nil, note
		if s.watcher == nil {
			s.start(ctx)
		} // else the watcher sees the file change, and runs the checks.
		return true
	}
	if s.screen {
		s.aside = note
		s.redraw()
		return true
	}
	s.footer()
	return true
}

// start starts a run of the lesson's checks.
func (s *session) start(ctx context.Context) {
	s.stop()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan runDone, 1)
	s.cancel, s.done = cancel, done
	l, was := s.l, s.e.standings(s.st)
	fmt.Fprintf(s.e.stdout, "Running lesson %d's checks…\n", l.Number)
	go func() {
		r, err := s.runChecks(runCtx, l, was, runOptions{}) // watch has none of run's flags
		done <- runDone{run: r, err: err}
	}()
}

// refresh reads the progress again before the session changes or shows
// it: another command (a run in another shell, workbook reset) may have
// saved since, and watch saves the whole file.
func (s *session) refresh() {
	if st, err := progress.Load(s.e.root); err == nil {
		*s.st = *st
	}
}

// stop stops the run under way, if there is one, and waits for it to end.
func (s *session) stop() {
	if s.done == nil {
		return
	}
	s.cancel()
	<-s.done
	s.cancel, s.done = nil, nil
}

// finish shows a finished run: on a screen, as a new frame.
func (s *session) finish(d runDone) {
	s.cancel()
	s.cancel, s.done = nil, nil
	if errors.Is(d.err, context.Canceled) {
		return
	}
	show := func() {
		if d.err != nil {
			fmt.Fprintf(s.e.stderr, "workbook: %v\n", d.err)
			return
		}
		s.last = d.run.out
		s.refresh()
		s.e.report(s.v, d.run, s.st)
	}
	if !s.screen {
		show()
		s.footer()
		return
	}
	s.result, s.aside, s.kept = s.capture(show), s.kept, ""
	s.redraw()
}

// footer shows what stays on screen below a result: the progress bar, the
// file to edit, and the keys.
func (s *session) footer() {
	e, v, w := s.e, s.v, s.v.w
	passed, failing := e.tally(s.st)
	fmt.Fprintf(w, "\n%s %d of %d lessons passed%s\n", progressBar(passed, len(e.lessons), 30, v.style.color), passed, len(e.lessons), e.failingNote(failing))
	var files []string
	for _, f := range s.l.Files {
		files = append(files, v.link(s.l.LearnerPath(f)))
	}
	fmt.Fprintf(w, "Lesson %d, %s: edit %s\n", s.l.Number, s.l.Title, strings.Join(files, ", "))
	switch {
	case s.watchErr != nil:
		fmt.Fprintf(w, "Your file is not watched (%v): save it, then press r.\n", s.watchErr)
	case s.manual && s.lineMode:
		fmt.Fprintln(w, "Save your file, then type r and Enter to run the checks again.")
	case s.manual:
		fmt.Fprintln(w, "Save your file, then press r to run the checks again.")
	default:
		fmt.Fprintln(w, "Save your file and the checks run again.")
	}
	keys := []string{"h hint", "l list"}
	if s.last != nil && s.last.Passed() {
		keys = append(keys, "n next")
	}
	keys = append(keys, "r run again", "x reset", "q quit")
	if s.lineMode {
		fmt.Fprintf(w, "Keys (then Enter): %s\n", strings.Join(keys, ", "))
		return
	}
	fmt.Fprintf(w, "%s\n", v.style.dim("Keys: "+strings.Join(keys, " · ")))
}

// bye says how to come back.
func (s *session) bye() {
	if !s.finished {
		fmt.Fprintf(s.e.stdout, "\nStopped watching. Carry on with: %s\n", s.e.self)
	}
}

// watchLesson watches the files of the lesson on screen, unless the
// session is manual; when watching fails, the session says so and goes on
// as a manual one.
func (s *session) watchLesson() {
	s.stopWatching()
	if s.manual {
		return
	}
	w, err := watch.New(s.l.LearnerPaths(), 0)
	if err != nil {
		s.watchErr = err
		return
	}
	s.watcher, s.watchErr = w, nil
}

func (s *session) stopWatching() {
	if s.watcher != nil {
		s.watcher.Close()
		s.watcher = nil
	}
}

// changes delivers saves of the learner's file; nil when it is not watched.
func (s *session) changes() <-chan struct{} {
	if s.watcher == nil {
		return nil
	}
	return s.watcher.Changes()
}

func (s *session) watchErrors() <-chan error {
	if s.watcher == nil {
		return nil
	}
	return s.watcher.Errors()
}

// progressBar draws passed of total as a bar width characters wide: ASCII,
// or block characters on a colour terminal.
func progressBar(passed, total, width int, fancy bool) string {
	n := 0
	if total > 0 {
		n = passed * width / total
	}
	done, todo := "#", "-"
	if fancy {
		done, todo = "█", "░"
	}
	return "[" + strings.Repeat(done, n) + strings.Repeat(todo, width-n) + "]"
}
