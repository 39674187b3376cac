// Package words writes the English of the workbook's messages: the plural
// of a noun, and back. It knows the regular rules and the few irregular
// nouns a lesson names, so that no message says "categorys" or "classs".
package words

import (
	"strconv"
	"strings"
)

// irregular maps the singular of nouns that do not follow the rules to
// their plural.
var irregular = map[string]string{
	"person": "people",
	"child":  "children",
	"man":    "men",
	"woman":  "women",
	"datum":  "data",
	"index":  "indexes",
	"series": "series",
	"info":   "info",
}

// Plural returns the plural of noun: category → categories, class →
// classes, key → keys, person → people. Of a noun of several words only the
// last changes: "category total" → "category totals". The case of the
// noun's last letter is kept.
func Plural(noun string) string {
	head, last := "", noun
	if i := strings.LastIndexAny(noun, " -_"); i >= 0 {
		head, last = noun[:i+1], noun[i+1:]
	}
	if last == "" {
		return noun
	}
	lower := strings.ToLower(last)
	if p, ok := irregular[lower]; ok {
		return head + matchCase(last, p)
	}
	n := len(lower)
	switch {
	case n > 1 && lower[n-1] == 'y' && !isVowel(lower[n-2]):
		return head + last[:n-1] + matchCase(last, "ies")
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "z"),
		strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return head + last + matchCase(last, "es")
	}
	return head + last + matchCase(last, "s")
}

// Singular returns the singular of a plural noun, as [Plural] would have
// written it: categories → category, classes → class, expenses → expense.
// A word it cannot read as a plural comes back as it is.
func Singular(noun string) string {
	head, last := "", noun
	if i := strings.LastIndexAny(noun, " -_"); i >= 0 {
		head, last = noun[:i+1], noun[i+1:]
	}
	lower := strings.ToLower(last)
	for s, p := range irregular {
		if lower == p {
			return head + matchCase(last, s)
		}
	}
	n := len(lower)
	switch {
	case strings.HasSuffix(lower, "ies") && n > 4:
		return head + last[:n-3] + matchCase(last, "y")
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"), strings.HasSuffix(lower, "zzes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return head + last[:n-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return noun
	case strings.HasSuffix(lower, "s") && n > 1:
		return head + last[:n-1]
	}
	return noun
}

// Counted writes n of a noun: "1 category", "3 categories". n is written as
// it is; callers that want thousands separated write the number themselves.
func Counted(n int, noun string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + noun
	}
	return strconv.Itoa(n) + " " + Plural(noun)
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// matchCase writes suffix in upper case when word ends in an upper-case
// letter, so that "ID" becomes "IDS" rather than "IDs"… except that a lone
// initialism keeps a lower-case s, as English writes "IDs".
func matchCase(word, suffix string) string {
	if len(word) > 2 && strings.ToUpper(word) == word && strings.ToLower(word) != word {
		return strings.ToUpper(suffix)
	}
	return suffix
}
