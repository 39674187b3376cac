package cli

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"unicode"

	"golang.org/x/term"
)

// keyInput reads what the learner types in watch mode. On a terminal, it
// switches the terminal to raw mode, so that each key counts as it is
// pressed, without Enter; restore switches it back. Anything else (a pipe,
// a file) is read a line at a time, each line one key: the first letter of
// its first word, or "" for an empty line. The channel is closed at the end
// of the input.
type keyInput struct {
	keys     chan string
	lineMode bool
	restore  func()
}

// Keys that mean something in every mode.
const (
	keyEnter = ""  // Enter, or an empty line
	keyQuit  = "q" // q, Ctrl-C or Ctrl-D on a terminal
)

// newKeyInput starts reading r.
func newKeyInput(r io.Reader) *keyInput {
	in := &keyInput{keys: make(chan string), restore: func() {}}
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if state, err := term.MakeRaw(int(f.Fd())); err == nil {
			in.restore = func() { term.Restore(int(f.Fd()), state) }
			go in.readKeys(f)
			return in
		}
	}
	in.lineMode = true
	go in.readLines(r)
	return in
}

// readLines sends one key for each line of r.
func (in *keyInput) readLines(r io.Reader) {
	defer close(in.keys)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		in.keys <- lineKey(sc.Text())
	}
}

// lineKey is the key a line of input stands for.
func lineKey(line string) string {
	for _, r := range strings.TrimSpace(line) {
		return string(unicode.ToLower(r))
	}
	return keyEnter
}

// readKeys sends one key for each key pressed on a terminal in raw mode.
func (in *keyInput) readKeys(r io.Reader) {
	defer close(in.keys)
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if k, ok := rawKey(buf[:n]); ok {
				in.keys <- k
			}
		}
		if err != nil {
			return
		}
	}
}

// rawKey is the key a read from a raw terminal stands for; ok is false for
// what is no key of watch mode (an arrow's escape sequence, a control
// character).
func rawKey(b []byte) (key string, ok bool) {
	switch {
	case len(b) == 0:
		return "", false
	case b[0] == 3 || b[0] == 4: // Ctrl-C, Ctrl-D
		return keyQuit, true
	case b[0] == '\r' || b[0] == '\n':
		return keyEnter, true
	case b[0] == 0x1b || b[0] < 0x20 || b[0] == 0x7f:
		return "", false
	}
	r := []rune(string(b))
	return string(unicode.ToLower(r[0])), true
}

// crlf writes to a terminal in raw mode, which no longer turns "\n" into a
// new line at the left margin, as "\r\n".
type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
