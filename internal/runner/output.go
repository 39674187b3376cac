package runner

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"sync"
)

// event is one line of go test -json.
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// events gathers what a checks program's output tells: with json, the
// events of go test -json; otherwise plain lines, as a test binary prints
// them.
type events struct {
	json bool

	mu        sync.Mutex
	build     []string // build-output lines
	output    []string // the last lines the test program printed
	kept      int      // their bytes
	ran       bool     // the test program started
	buildFail bool

	// printed counts the bytes the test program printed; past maxOutput,
	// onFlood is called.
	printed   int64
	maxOutput int64
	onFlood   func()
	// onStart is called when go test says the test program started.
	onStart func()
}

// What is kept of a program's output, for a crash report: its last
// keepLines lines, keepBytes in all, each line cut at keptLine bytes. A
// program may print without end (the grader sets no limit on it), and what
// is kept must stay small.
const (
	keepLines = 400
	keepBytes = 64 << 10
	keptLine  = 2 << 10
)

// line takes one line of output, without its newline.
func (e *events) line(b []byte) {
	var ev event
	if !e.json || json.Unmarshal(b, &ev) != nil {
		// Not an event: the program (or go test) wrote something else.
		e.addOutput(string(b))
		e.count(len(b) + 1)
		return
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
		if e.onStart != nil {
			e.onStart()
		}
	case "output":
		e.addOutput(strings.TrimRight(ev.Output, "\n"))
		e.count(len(ev.Output))
	}
}

// count adds n printed bytes, and calls onFlood the first time they pass
// maxOutput.
func (e *events) count(n int) {
	if e.maxOutput <= 0 {
		return
	}
	e.mu.Lock()
	before := e.printed
	e.printed += int64(n)
	over := before <= e.maxOutput && e.printed > e.maxOutput
	e.mu.Unlock()
	if over && e.onFlood != nil {
		e.onFlood()
	}
}

func (e *events) addOutput(line string) {
	if len(line) > keptLine {
		line = line[:keptLine] + "…"
	}
	line = strings.ToValidUTF8(line, "?")
	e.mu.Lock()
	defer e.mu.Unlock()
	e.output = append(e.output, line)
	e.kept += len(line)
	drop := 0
	for len(e.output)-drop > keepLines || e.kept > keepBytes && len(e.output)-drop > 1 {
		e.kept -= len(e.output[drop])
		drop++
	}
	if drop > 0 {
		e.output = append([]string(nil), e.output[drop:]...)
	}
}

// buildErrors returns the compiler's messages.
func (e *events) buildErrors() []string {
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

// tail returns the last n lines the test program printed, without go test's
// own framing.
func (e *events) tail(n int) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return crashExcerpt(e.output, n)
}

// framework matches the lines go test itself prints around tests.
var framework = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP)|PASS$|FAIL$|ok\s|FAIL\s)`)

// crashExcerpt picks from the output of a test program that ended badly the
// lines that explain how: from a crash's first line ("panic: ..." and its
// trace) when there is one, or else the last n lines, leaving out blank
// lines and the testing package's own framing.
func crashExcerpt(output []string, n int) []string {
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

// maxLine bounds one line of output read whole (an event of go test -json
// is far shorter); a longer line is taken in pieces.
const maxLine = 64 << 10

// lineWriter splits what is written to it into lines, for a program's
// stdout and stderr at once.
type lineWriter struct {
	mu   sync.Mutex
	line func([]byte)
	buf  []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.add(p)
			break
		}
		w.add(p[:i])
		w.line(w.buf)
		w.buf = w.buf[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (w *lineWriter) add(p []byte) {
	room := maxLine - len(w.buf)
	if len(p) > room {
		w.buf = append(w.buf, p[:max(room, 0)]...)
		w.line(w.buf) // a long line is taken in pieces
		w.buf = w.buf[:0]
		return
	}
	w.buf = append(w.buf, p...)
}

// flush takes a last line that has no newline.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.line(w.buf)
		w.buf = w.buf[:0]
	}
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

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
