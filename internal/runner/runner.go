// Package runner runs a lesson's checks with go test and gathers what they
// decided.
//
// Verdicts come from the results file the checker writes (see package
// workbook/internal/results), never from the text the tests print: a learner's
// program can print anything, and it changes nothing. go test's JSON events
// are read for what only they know: whether the code compiled, when the test
// program started, and what it printed before a crash.
package runner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// Options control a run. The zero value runs the learner's files as they are,
// with the lesson's own time limits.
type Options struct {
	// Overlay maps files of the lesson (absolute paths) to files that take
	// their place for this run, as go build's -overlay flag does: how the
	// reference solution runs without touching the learner's file.
	Overlay map[string]string
	// Env adds variables to the test's environment.
	Env []string
	// CheckTimeout bounds each check's body on each data set; 0 leaves the
	// checker's default.
	CheckTimeout time.Duration
	// RunTimeout bounds the whole test program once built; 0 means the
	// lesson's own limit.
	RunTimeout time.Duration
	// Preparing is called once if the build has not finished after
	// PrepareAfter, so that a slow first build (go-sqlite3 compiles
	// SQLite's C source) does not look like a hang.
	Preparing    func()
	PrepareAfter time.Duration
	// MaxOutput bounds what the test program may print, in bytes, before
	// the run is stopped as flooding; 0 means DefaultMaxOutput.
	MaxOutput int64
}

// DefaultMaxOutput is how much a test program may print before its run is
// stopped: far more than any check prints, far less than a print in a loop
// that never ends.
const DefaultMaxOutput = 8 << 20

// Outcome is what a run found.
type Outcome struct {
	Lesson *lesson.Lesson
	// Build holds the compiler's messages when the lesson did not build.
	Build []string
	// Checks are the lesson's checks in their declared order.
	Checks []CheckOutcome
	// Stopped is set when the test program was killed at the run's time
	// limit, Limit.
	Stopped bool
	Limit   time.Duration
	// Flooded is set when the test program was killed because it printed
	// more than MaxOutput bytes.
	Flooded   bool
	MaxOutput int64
	// Crash holds the end of what the test program printed when it ended
	// without giving every verdict (a panic in another goroutine, os.Exit).
	Crash []string
	// Undeclared lists verdicts for checks the manifest does not declare.
	Undeclared []string
	Elapsed    time.Duration
}

// CheckOutcome is one declared check and what became of it.
type CheckOutcome struct {
	Check lesson.Check
	// Verdict is nil when the check never finished.
	Verdict *protocol.Verdict
	// Started is set when the check began, even if it never finished.
	Started bool
}

// Passed reports whether the lesson built and every check passed.
func (o *Outcome) Passed() bool {
	if len(o.Build) > 0 || o.Stopped || o.Flooded || len(o.Checks) == 0 {
		return false
	}
	for _, c := range o.Checks {
		if c.Verdict == nil || !c.Verdict.Passed() {
			return false
		}
	}
	return true
}

// PassCount returns how many checks passed.
func (o *Outcome) PassCount() int {
	n := 0
	for _, c := range o.Checks {
		if c.Verdict != nil && c.Verdict.Passed() {
			n++
		}
	}
	return n
}

// Run builds and runs the checks of l, whose workbook is at root.
func Run(ctx context.Context, root string, l *lesson.Lesson, opt Options) (*Outcome, error) {
	began := time.Now()
	goCmd, err := GoTools()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "workbook-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	resultsFile := filepath.Join(tmp, "results.jsonl")

	args := []string{"test", "-json", "-count=1"}
	if len(opt.Overlay) > 0 {
		overlay := filepath.Join(tmp, "overlay.json")
		data, err := json.Marshal(map[string]any{"Replace": opt.Overlay})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(overlay, data, 0o600); err != nil {
			return nil, err
		}
		args = append(args, "-overlay="+overlay)
	}
	limit := opt.RunTimeout
	if limit <= 0 {
		limit = l.RunTimeout()
	}
	// go test's own limit is a backstop behind ours; it prints the
	// goroutines, which helps with a crash report.
	args = append(args, fmt.Sprintf("-timeout=%s", limit+30*time.Second), "./"+filepath.ToSlash(mustRel(root, l.Dir)))

	cmd := exec.Command(goCmd, args...)
	cmd.Dir = root
	cmd.Env = append(cleanEnv(os.Environ()), "CGO_ENABLED=1", protocol.EnvFile+"="+resultsFile)
	if opt.CheckTimeout > 0 {
		cmd.Env = append(cmd.Env, "WORKBOOK_CHECK_TIMEOUT="+opt.CheckTimeout.String())
	}
	cmd.Env = append(cmd.Env, opt.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 64 << 10}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting go test: %w", err)
	}
	kill := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

	maxOutput := opt.MaxOutput
	if maxOutput <= 0 {
		maxOutput = DefaultMaxOutput
	}
	ev := newEvents()
	ev.maxOutput = maxOutput
	flooded := make(chan struct{})
	ev.onFlood = func() { close(flooded) }
	started := make(chan struct{})
	var once sync.Once
	readDone := make(chan error, 1)
	go func() {
		readDone <- ev.read(stdout, func() { once.Do(func() { close(started) }) })
	}()

	out := &Outcome{Lesson: l, Limit: limit, MaxOutput: maxOutput}
	prepareAfter := opt.PrepareAfter
	if prepareAfter <= 0 {
		prepareAfter = 3 * time.Second
	}
	prepare := time.NewTimer(prepareAfter)
	defer prepare.Stop()
	var deadline <-chan time.Time
	waiting := true
	for waiting {
		select {
		case <-prepare.C:
			if opt.Preparing != nil {
				opt.Preparing()
			}
		case <-started:
			started = nil
			prepare.Stop() // built: no more talk of building
			t := time.NewTimer(limit)
			defer t.Stop()
			deadline = t.C
		case <-deadline:
			out.Stopped = true
			kill()
			waiting = false
		case <-flooded:
			out.Flooded = true
			kill()
			waiting = false
		case <-ctx.Done():
			kill()
			<-readDone
			cmd.Wait()
			return nil, ctx.Err()
		case err := <-readDone:
			readDone <- err
			waiting = false
		}
	}
	<-readDone
	cmd.Wait()

	out.Build = ev.buildErrors(root)
	if len(out.Build) == 0 && !ev.ran && stderr.Len() > 0 && !out.Stopped && !out.Flooded {
		out.Build = nonEmptyLines(stderr.String())
	}
	records, err := protocol.Read(resultsFile)
	if err != nil {
		return nil, err
	}
	out.Checks, out.Undeclared = collect(l, records)
	if len(out.Build) == 0 && !out.Stopped && !out.Flooded {
		for _, c := range out.Checks {
			if c.Verdict == nil {
				out.Crash = ev.tail(40)
				break
			}
		}
	}
	out.Elapsed = time.Since(began)
	return out, nil
}

// cleanEnv drops the variables that steer the checker from an inherited
// environment: a WORKBOOK_UPDATE left exported after writing a lesson must
// not turn a learner's run into one that rewrites expected results. A run
// sets them itself, from its Options.
func cleanEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "WORKBOOK_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// collect matches the records of a run to the checks l declares.
func collect(l *lesson.Lesson, records []protocol.Record) ([]CheckOutcome, []string) {
	started := map[string]bool{}
	verdicts := map[string]*protocol.Verdict{}
	for _, r := range records {
		switch r.Event {
		case "start":
			started[r.Check] = true
		case "verdict":
			if r.Verdict != nil {
				verdicts[r.Check] = r.Verdict
			}
		}
	}
	var out []CheckOutcome
	for _, c := range l.Checks {
		out = append(out, CheckOutcome{Check: c, Verdict: verdicts[c.Name], Started: started[c.Name]})
		delete(verdicts, c.Name)
	}
	var undeclared []string
	for name := range verdicts {
		undeclared = append(undeclared, name)
	}
	return out, undeclared
}

// event is one line of go test -json.
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// events gathers what the JSON stream tells.
type events struct {
	mu        sync.Mutex
	build     []string // build-output lines
	output    []string // the last lines the test program printed
	ran       bool     // the test program started
	buildFail bool

	// printed counts the bytes the test program printed; past maxOutput,
	// onFlood is called once.
	printed   int64
	maxOutput int64
	onFlood   func()
}

func newEvents() *events { return &events{} }

const keepLines = 400

func (e *events) read(r io.Reader, onStart func()) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			// Not an event: go test wrote something else; keep it.
			e.addOutput(sc.Text())
			e.count(len(sc.Bytes()))
			continue
		}
		switch ev.Action {
		case "build-output":
			e.mu.Lock()
			e.build = append(e.build, strings.TrimRight(ev.Output, "\n"))
			e.mu.Unlock()
		case "build-fail":
			e.mu.Lock()
			e.buildFail = true
			e.mu.Unlock()
		case "start":
			e.mu.Lock()
			e.ran = true
			e.mu.Unlock()
			onStart()
		case "output":
			e.addOutput(strings.TrimRight(ev.Output, "\n"))
			e.count(len(ev.Output))
		}
	}
	_, err := io.Copy(io.Discard, r)
	if sc.Err() != nil {
		return sc.Err()
	}
	return err
}

// count adds n printed bytes, and calls onFlood the first time they pass
// maxOutput.
func (e *events) count(n int) {
	if e.maxOutput <= 0 {
		return
	}
	before := e.printed
	e.printed += int64(n)
	if before <= e.maxOutput && e.printed > e.maxOutput && e.onFlood != nil {
		e.onFlood()
	}
}

func (e *events) addOutput(line string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.output = append(e.output, line)
	if len(e.output) > keepLines*2 {
		e.output = append([]string(nil), e.output[len(e.output)-keepLines:]...)
	}
}

// buildErrors returns the compiler's messages, with paths relative to root.
func (e *events) buildErrors(root string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, l := range e.build {
		for _, line := range strings.Split(l, "\n") {
			if strings.HasPrefix(line, "# ") || strings.TrimSpace(line) == "" {
				continue
			}
			out = append(out, line)
		}
	}
	if len(out) == 0 && e.buildFail {
		out = append(out, "the lesson did not build (go test gave no message)")
	}
	return out
}

// framework matches the lines go test itself prints around tests.
var framework = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP)|PASS$|FAIL$|ok\s|FAIL\s)`)

// tail returns the last n lines the test program printed, without go test's
// own framing.
func (e *events) tail(n int) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return CrashExcerpt(e.output, n)
}

// CrashExcerpt picks from the output of a test program that ended badly the
// lines that explain how: from a crash's first line ("panic: ..." and its
// trace) when there is one, or else the last n lines, leaving out blank
// lines and the testing package's own framing.
func CrashExcerpt(output []string, n int) []string {
	var lines []string
	for _, l := range output {
		if strings.TrimSpace(l) != "" && !framework.MatchString(l) {
			lines = append(lines, strings.TrimRight(l, "\r"))
		}
	}
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			lines = lines[i:]
			if len(lines) > n {
				lines = lines[:n]
			}
			return lines
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func mustRel(root, path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return r
}

// GoTools returns the path of the go command, after making sure there is a
// C compiler for it: building the lessons (and any program that opens
// SQLite) needs both. Its errors say what to install.
func GoTools() (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("the go command is not on your PATH: install Go from https://go.dev/dl/ (1.25 or newer)")
	}
	if err := haveCCompiler(); err != nil {
		return "", err
	}
	return goCmd, nil
}

// haveCCompiler reports a missing C compiler before go test does, in words:
// go-sqlite3 is cgo, and without one it builds a stub that fails at run time.
func haveCCompiler() error {
	if cc := os.Getenv("CC"); cc != "" {
		if _, err := exec.LookPath(strings.Fields(cc)[0]); err == nil {
			return nil
		}
	}
	for _, cc := range []string{"gcc", "cc", "clang"} {
		if _, err := exec.LookPath(cc); err == nil {
			return nil
		}
	}
	return errors.New("no C compiler found: the workbook uses github.com/mattn/go-sqlite3, which needs cgo.\n" +
		"Install one (Debian/Ubuntu: sudo apt install gcc; Fedora: sudo dnf install gcc; macOS: xcode-select --install)")
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
