package cli

import (
	"strings"
	"testing"
)

func TestWrapScreen(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "one two three", 13, "one two three"},
		{"no width", "one two three", 0, "one two three"},
		{"at a space, the rest hanging", "one two three four", 9, "one two\n  three\n  four"},
		{"keeps the indent", "  one two three four", 11, "  one two\n    three\n    four"},
		{"keeps the spaces of columns that fit", "  FAIL     a-check  5 statements", 40, "  FAIL     a-check  5 statements"},
		{"breaks between columns", "  FAIL     a-check  5 statements", 20, "  FAIL     a-check\n    5 statements"},
		{"cuts a word wider than a line", "see abcdefghijklmnop", 8, "see\n  abcdef\n  ghijkl\n  mnop"},
		{"escapes take no room", "\x1b[1mone\x1b[0m two \x1b]8;;file:///a\x1b\\three\x1b]8;;\x1b\\", 13,
			"\x1b[1mone\x1b[0m two \x1b]8;;file:///a\x1b\\three\x1b]8;;\x1b\\"},
		{"each line alone", "one two\nthree four five", 10, "one two\nthree four\n  five"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapScreen(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("wrapScreen(%q, %d) =\n%q\nwant:\n%q", tt.in, tt.width, got, tt.want)
			}
			if tt.width <= 0 {
				return
			}
			for _, line := range strings.Split(got, "\n") {
				if w := visibleWidth(line); w > tt.width {
					t.Errorf("line %q is %d wide, more than %d", line, w, tt.width)
				}
			}
		})
	}
}
