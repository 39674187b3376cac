package cli

import (
	"io"
	"os"
)

// style colours words on a terminal, and leaves them plain when the output
// is piped or NO_COLOR is set (https://no-color.org), so that what scripts
// and tests read is stable text.
type style struct{ color bool }

func styleFor(w io.Writer) style {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return style{}
	}
	f, ok := w.(*os.File)
	if !ok {
		return style{}
	}
	fi, err := f.Stat()
	return style{color: err == nil && fi.Mode()&os.ModeCharDevice != 0}
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
