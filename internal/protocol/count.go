package protocol

import "strconv"

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
// "1,001 statements". The plural adds an s to the noun.
func Counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Count(n) + " " + noun + "s"
}
