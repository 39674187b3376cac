package cli

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"

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

// wrap breaks each paragraph (line) of text into lines of at most width
// runes at spaces, keeping the line breaks it already has; see fillWords.
func wrap(text string, width int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		lines := fillWords(para, width)
		if len(lines) == 0 {
			lines = []string{""}
		}
		out = append(out, lines...)
	}
	return strings.Join(out, "\n")
}

// fillWords fills lines of at most width runes with the words of text, in
// order, one space between them; a word longer than width gets a line of
// its own, whole. Text of no words gives no lines.
func fillWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// wrapScreen breaks each line of text that is wider than width columns at
// spaces, so that a terminal need not wrap it mid-word. A broken line goes
// on two columns further in than it starts; a word wider than a whole line
// is cut, as nothing else can show it. Escape sequences (colours, links)
// take no columns. A width of 0 or less leaves text as it is.
func wrapScreen(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	var out []string
	for _, line := range lines {
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

// wrapLine breaks one line for wrapScreen.
func wrapLine(line string, width int) []string {
	if visibleWidth(line) <= width {
		return []string{line}
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	hang := indent + 2
	if hang > width/2 {
		hang = 0
	}
	var out []string
	cur, curW := line[:indent], indent
	start := indent // the width of the line's start, before its first word
	for _, word := range strings.Split(line[indent:], " ") {
		ww := visibleWidth(word)
		sep := 1
		if curW == start {
			sep = 0
		}
		if curW+sep+ww <= width {
			if sep > 0 {
				cur += " "
			}
			cur, curW = cur+word, curW+sep+ww
			continue
		}
		if ww == 0 {
			continue // spaces where the line breaks
		}
		if curW > start {
			out = append(out, strings.TrimRight(cur, " "))
			cur, curW, start = strings.Repeat(" ", hang), hang, hang
		}
		for curW+ww > width {
			// A word wider than a line: cut it where the line ends.
			head, tail := cutVisible(word, width-curW)
			out = append(out, cur+head)
			word, ww = tail, visibleWidth(tail)
			cur, curW = strings.Repeat(" ", hang), hang
		}
		cur, curW = cur+word, curW+ww
	}
	if curW > start {
		out = append(out, strings.TrimRight(cur, " "))
	}
	return out
}

// visibleWidth returns how many columns s takes on a terminal: its runes,
// less its escape sequences.
func visibleWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if end := escapeEnd(s, i); end > i {
			i = end
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// cutVisible cuts s after n visible columns; the escape sequences there
// stay with the head.
func cutVisible(s string, n int) (head, tail string) {
	cols := 0
	for i := 0; i < len(s); {
		if end := escapeEnd(s, i); end > i {
			i = end
			continue
		}
		if cols == n {
			return s[:i], s[i:]
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		cols++
	}
	return s, ""
}

// escapeEnd returns where the escape sequence that starts at s[i] ends: a
// CSI sequence ("\x1b[31m") or an OSC one ("\x1b]8;;url\x1b\\", a link). It
// returns i when none starts there.
func escapeEnd(s string, i int) int {
	if s[i] != 0x1b || i+1 >= len(s) {
		return i
	}
	switch s[i+1] {
	case '[':
		for j := i + 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
	case ']':
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
	}
	return len(s)
}
