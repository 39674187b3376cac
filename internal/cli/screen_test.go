//go:build linux || darwin || freebsd

package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

var update = flag.Bool("update", false, "update .golden files")

// TestWatchScreen drives watch mode through a pseudo-terminal 64 columns
// wide, presses h, l and h again, and compares the screen a terminal shows
// then with testdata/watch_screen.golden: one frame, whose footer appears
// once, with no line wider than the terminal and no word split between
// lines.
func TestWatchScreen(t *testing.T) {
	const rows, cols = 80, 64
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	if err := pty.Setsize(ptm, &pty.Winsize{Rows: rows, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	screen := newVT(rows, cols)
	go screen.feed(ptm)

	s, restore, texts := screenSession(t, tty)
	defer restore() // before tty closes
	done := make(chan int, 1)
	go func() { done <- s.loop(context.Background()) }()
	screen.waitFrame(t, "1 of 3 checks pass.")
	for _, step := range []struct{ key, want string }{
		{"h", "Hint 1 of 3"},
		{"l", "Lessons (0 of 3 passed)"},
		{"h", "Hint 2 of 3"},
	} {
		if _, err := ptm.Write([]byte(step.key)); err != nil {
			t.Fatal(err)
		}
		screen.waitFrame(t, step.want)
	}
	got := screen.text()
	wrapped := screen.overflows()

	// Narrower, the terminal gets the frame again at its new width.
	const narrow = 48
	if err := pty.Setsize(ptm, &pty.Winsize{Rows: rows, Cols: narrow}); err != nil {
		t.Fatal(err)
	}
	screen.resize(narrow)
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	screen.waitFrame(t, "Hint 2 of 3")
	narrowed := screen.text()
	if _, err := ptm.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("q did not end the session")
	}

	for _, once := range []string{"Keys: ", "lessons passed", "Save your file", "Lesson 3: Long titles"} {
		if n := strings.Count(got, once); n != 1 {
			t.Errorf("%q is on screen %d times, want once", once, n)
		}
	}
	for _, gone := range []string{"Hint 1 of 3", "Lessons (0 of 3 passed)"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q is still on screen: the frame was not redrawn", gone)
		}
	}
	for _, o := range wrapped {
		t.Errorf("the terminal wrapped a line wider than %d columns, at %q", cols, o)
	}
	for _, o := range screen.overflows() {
		t.Errorf("once resized, the terminal wrapped a line wider than %d columns, at %q", narrow, o)
	}
	if n := strings.Count(narrowed, "Keys: "); n != 1 || !strings.HasPrefix(narrowed, "Lesson 3: Long titles") {
		t.Errorf("once resized, the screen is not one frame:\n%s", narrowed)
	}
	for _, e := range screen.errors() {
		t.Errorf("the screen got an escape it does not know: %q", e)
	}
	checkWords(t, got, texts)
	checkWords(t, narrowed, texts)

	golden := filepath.Join("testdata", "watch_screen.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("screen:\n%s\nwant (%s; go test -run TestWatchScreen -update rewrites it):\n%s", got, golden, want)
	}
}

// checkWords reports the words of texts that screen splits between lines.
func checkWords(t *testing.T, screen string, texts map[string]bool) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	for i := 1; i < len(lines); i++ {
		a, b := strings.Fields(lines[i-1]), strings.Fields(lines[i])
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		if last, first := a[len(a)-1], b[0]; texts[last+first] && !texts[last] {
			t.Errorf("%q is split between lines %d and %d:\n%s\n%s", last+first, i, i+1, lines[i-1], lines[i])
		}
	}
}

// screenSession returns a watch session on tty of a workbook of three
// lessons in a temporary folder, on the third, whose run finds long check
// titles and failures; the function that gives tty back; and every word of
// the texts it shows.
func screenSession(t *testing.T, tty *os.File) (*session, func(), map[string]bool) {
	t.Helper()
	root := t.TempDir()
	var ls []*lesson.Lesson
	for i, name := range []string{"one", "two", "long-titles"} {
		l := &lesson.Lesson{Number: i + 1, Name: name, Title: "Lesson " + name, Files: []string{"a.go"}}
		l.Dir = filepath.Join(root, "lessons", l.ID())
		ls = append(ls, l)
	}
	l := ls[2]
	l.Title = "Long titles, long summaries and a narrow terminal"
	l.Files = []string{"expenses.go"}
	l.Hints = []lesson.Hint{
		{Text: "Start from the expense: which user owns it? The expense row holds its user_id, so one query finds the owner, and another the owner's expenses."},
		{Text: "Point each expense of the owner at the very *User you loaded (e.Owner = u), then return the expense from that list rather than the one you loaded first."},
		{Text: "The reference solution runs two statements: one SELECT for the user, one for all of their expenses in order."},
	}
	withOwner := "The Owner of expense 4 comes back with no Expenses, so from the expense you reach a user\n" +
		"who seems to have spent nothing. Go has no lazy loading to fill the list in later: load the\n" +
		"owner with all of their expenses, as LoadUser does, and return the expense from that list."
	sameUser := "Every expense in Alice's Expenses must have as its Owner the very *User that holds it\n" +
		"(e.Owner == u, the same pointer), but:\n" +
		"    expense 1 (Groceries): Owner is another *User for user 1, a copy\n" +
		"  A copy has the same fields today, but it is a second value for one row: rename the user\n" +
		"  through one and the other keeps the old name, and e.Owner == u is false."
	failed := func(msg string, n int) *protocol.Verdict {
		return &protocol.Verdict{Status: protocol.StatusFail, Statements: n, MaxStatements: 2, Data: []string{"budget"},
			Failures: []protocol.Failure{{Data: "budget", Kind: protocol.KindResult, Summary: protocol.Summarize(msg), Message: msg, Statements: n}}}
	}
	out := &runner.Outcome{Lesson: l, Checks: []runner.CheckOutcome{
		{Check: lesson.Check{Name: "user-with-expenses", About: "Alice with her three expenses, each pointing back to the very same *User, in at most 2 statements"},
			Status: protocol.StatusFail, Verdict: failed(sameUser, 2)},
		{Check: lesson.Check{Name: "expense-with-owner", About: "an expense with its owner, the owner with all their expenses"},
			Status: protocol.StatusFail, Verdict: failed(withOwner, 2)},
		{Check: lesson.Check{Name: "not-found"}, Status: protocol.StatusPass,
			Verdict: &protocol.Verdict{Status: protocol.StatusPass, Statements: 1, MaxStatements: 2, Data: []string{"budget"}}},
	}}

	e := &env{stdin: tty, stdout: tty, stderr: tty, style: style{color: true, term: true}, root: root,
		shell: shell{cwd: root, self: "workbook"}, lessons: ls}
	st, err := progress.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	s, restore := openSession(e, st, l, true)
	s.runChecks = func(context.Context, *lesson.Lesson, map[string]standing, runOptions) (*lessonRun, error) {
		return &lessonRun{out: out}, nil
	}

	texts := map[string]bool{}
	all := []string{l.Title, withOwner, sameUser}
	for _, h := range l.Hints {
		all = append(all, h.Text)
	}
	for _, c := range out.Checks {
		all = append(all, c.Check.Name, c.Check.About)
	}
	for _, text := range all {
		for _, w := range strings.Fields(text) {
			texts[w] = true
		}
	}
	return s, restore, texts
}

// vt is a virtual terminal screen, as small as the escapes watch mode
// writes allow: text, carriage return and line feed, cursor home, erase
// (J, K), colours (m, ignored) and OSC links (ignored). A line that goes
// past the last column wraps, as on a terminal, and is noted.
type vt struct {
	mu         sync.Mutex
	rows, cols int
	cells      [][]rune
	x, y       int
	pending    bool     // the last column was written: the next rune wraps
	wrapped    []string // the lines that wrapped
	unknown    []string // escapes it does not know
}

func newVT(rows, cols int) *vt {
	v := &vt{rows: rows, cols: cols}
	v.clear()
	return v
}

// resize makes the screen cols wide, and clears it: the next frame draws
// it all again.
func (v *vt) resize(cols int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cols, v.x, v.y, v.pending, v.wrapped = cols, 0, 0, false, nil
	v.clear()
}

func (v *vt) clear() {
	v.cells = make([][]rune, v.rows)
	for i := range v.cells {
		v.cells[i] = []rune(strings.Repeat(" ", v.cols))
	}
}

// feed reads r until it ends, and shows what it reads.
func (v *vt) feed(r io.Reader) {
	var data []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		data = append(data, buf[:n]...)
		v.mu.Lock()
		data = v.write(data)
		v.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// write shows data, and returns what it holds of an escape or a rune not
// yet whole.
func (v *vt) write(data []byte) []byte {
	s := string(data)
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == 0x1b:
			end := escapeEnd(s, i)
			if end >= len(s) && !complete(s[i:]) {
				return []byte(s[i:])
			}
			v.escape(s[i:end])
			i = end
		case c == '\r':
			v.x, v.pending = 0, false
			i++
		case c == '\n':
			v.lineFeed()
			v.pending = false
			i++
		case c < 0x20:
			v.unknown = append(v.unknown, fmt.Sprintf("control %#x", c))
			i++
		default:
			r := []rune(s[i:])[0]
			size := len(string(r))
			if r == 0xfffd && i+size > len(s) {
				return []byte(s[i:])
			}
			v.put(r)
			i += size
		}
	}
	return nil
}

// complete reports whether esc, which runs to the end of what was read, is
// a whole escape sequence.
func complete(esc string) bool {
	if len(esc) < 2 {
		return false
	}
	switch esc[1] {
	case '[':
		last := esc[len(esc)-1]
		return len(esc) > 2 && last >= 0x40 && last <= 0x7e
	case ']':
		return strings.HasSuffix(esc, "\x07") || strings.HasSuffix(esc, "\x1b\\")
	}
	return true
}

func (v *vt) put(r rune) {
	if v.pending {
		v.wrapped = append(v.wrapped, strings.TrimSpace(string(v.cells[v.y])))
		v.x, v.pending = 0, false
		v.lineFeed()
	}
	v.cells[v.y][v.x] = r
	if v.x == v.cols-1 {
		v.pending = true
		return
	}
	v.x++
}

func (v *vt) lineFeed() {
	if v.y < v.rows-1 {
		v.y++
		return
	}
	copy(v.cells, v.cells[1:])
	v.cells[v.rows-1] = []rune(strings.Repeat(" ", v.cols))
}

func (v *vt) escape(esc string) {
	if strings.HasPrefix(esc, "\x1b]") {
		return // a link, which shows nothing
	}
	if len(esc) < 3 || esc[1] != '[' {
		v.unknown = append(v.unknown, esc)
		return
	}
	params, final := esc[2:len(esc)-1], esc[len(esc)-1]
	switch {
	case final == 'm':
	case final == 'H' && params == "":
		v.x, v.y, v.pending = 0, 0, false
	case final == 'J' && params == "2":
		v.clear()
	case final == 'K' && params == "":
		for x := v.x; x < v.cols; x++ {
			v.cells[v.y][x] = ' '
		}
	default:
		if _, err := strconv.Atoi(params); err != nil || final != 'J' {
			v.unknown = append(v.unknown, esc)
		}
	}
}

// text returns the screen, each row without its trailing spaces, without
// the empty rows at the bottom.
func (v *vt) text() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	var lines []string
	for _, row := range v.cells {
		lines = append(lines, strings.TrimRight(string(row), " "))
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}

func (v *vt) overflows() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.wrapped...)
}

func (v *vt) errors() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.unknown...)
}

// waitFrame waits until the screen shows want, and below it a whole
// frame's end: the keys, the last of which is q quit.
func (v *vt) waitFrame(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		text := v.text()
		lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
		if i := strings.Index(text, want); i >= 0 && strings.HasSuffix(lines[len(lines)-1], "quit") && strings.Contains(text[i:], "Keys: ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q and the keys below it:\n%s", want, text)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
