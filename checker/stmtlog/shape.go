package stmtlog

import (
	"regexp"
	"strings"
)

// Shape returns query with its literal values replaced by ?, lists of
// placeholders such as IN (?, ?, ?) collapsed to IN (...), and white space
// folded, so that two executions of "the same statement with other values"
// have the same shape, whether the values came as arguments or were written
// into the text.
func Shape(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	s := query
	prevSpace := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'':
			// A string literal; '' inside it is an escaped quote.
			j := i + 1
			for j < len(s) {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteByte('?')
			i = j + 1
			prevSpace = false
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			// A line comment.
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case isSpace(c):
			if !prevSpace {
				b.WriteByte(' ')
			}
			prevSpace = true
			i++
		case isDigit(c) && (i == 0 || !isWordByte(s[i-1])):
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
				j++
			}
			if j < len(s) && isWordByte(s[j]) {
				// Part of a name such as 2fa_codes: keep it.
				b.WriteString(s[i:j])
			} else {
				b.WriteByte('?')
			}
			i = j
			prevSpace = false
		case c == '$' || c == ':' || c == '@':
			// Numbered or named parameters: $1, :name, @name.
			j := i + 1
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if j > i+1 {
				b.WriteByte('?')
			} else {
				b.WriteByte(c)
			}
			i = j
			prevSpace = false
		default:
			b.WriteByte(c)
			i++
			prevSpace = false
		}
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimRight(out, "; ")
	return placeholderList.ReplaceAllString(out, "(...)")
}

var placeholderList = regexp.MustCompile(`\(\s*\?(?:\s*,\s*\?)*\s*\)`)

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Group is the executions of one shape in a log.
type Group struct {
	// Shape is the shared shape, as [Shape] returns it.
	Shape string
	// Seqs lists the entries' Seq numbers in order.
	Seqs []int
	// Varied reports whether the executions differed in their values
	// (arguments or literals), as the rounds of a loop do.
	Varied bool
}

// Groups gathers the statements of entries by shape, in the order each shape
// first ran. Transaction control is left out.
func Groups(entries []Entry) []Group {
	var groups []Group
	index := map[string]int{}
	firstText := map[string]string{}
	for _, e := range entries {
		if e.Kind != KindStatement {
			continue
		}
		sh := Shape(e.SQL)
		key := strings.ToLower(sh)
		text := e.SQL + "\x00" + argString(e.Args)
		i, ok := index[key]
		if !ok {
			index[key] = len(groups)
			firstText[key] = text
			groups = append(groups, Group{Shape: sh, Seqs: []int{e.Seq}})
			continue
		}
		g := &groups[i]
		g.Seqs = append(g.Seqs, e.Seq)
		if text != firstText[key] {
			g.Varied = true
		}
	}
	return groups
}

func argString(args []any) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(FormatValue(a))
		b.WriteByte(',')
	}
	return b.String()
}
