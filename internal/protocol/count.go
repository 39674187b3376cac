package protocol

import (
	"strconv"

	"workbook/internal/words"
)

// Count writes n with a comma between thousands, as people read counts:
// 1,001.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Counted writes n of a noun, as people read them: "1 statement",
// "1,001 statements", "3 categories" ([words.Plural]).
func Counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Count(n) + " " + words.Plural(noun)
}
