package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// style colours words on a terminal, and leaves them plain when the output
// is piped or NO_COLOR is set (https://no-color.org), so that what scripts
// and tests read is stable text.
type style struct {
	color bool
	// term is set when the output is a terminal that understands escapes
	// (not TERM=dumb), colour or not: watch mode clears the screen then.
	term bool
}

func styleFor(w io.Writer) style {
	if os.Getenv("TERM") == "dumb" || !isTerminal(w) {
		return style{}
	}
	return style{color: os.Getenv("NO_COLOR") == "", term: true}
}

// isTerminal reports whether f is a terminal (a file such as /dev/null is
// not, though it is a device too).
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

func (s style) wrap(code, text string) string {
	if !s.color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string  { return s.wrap("1", t) }
func (s style) green(t string) string { return s.wrap("32", t) }
func (s style) red(t string) string   { return s.wrap("31", t) }
func (s style) dim(t string) string   { return s.wrap("2", t) }
