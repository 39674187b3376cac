package stmtlog

import (
	"regexp"
	"strings"
)

// LeftJoinFilters returns the conditions in the ON of query's LEFT JOINs
// that compare a column of the joined table with a value (a placeholder or
// a literal), as written after [Shape]: "c.name = ?". Such a condition does
// not drop a row: a LEFT JOIN keeps every row of its left side, and where
// the ON is false it joins NULLs in place of the right side's columns. Code
// that meant it as a filter keeps every row.
func LeftJoinFilters(query string) []string {
	s := Shape(query)
	var out []string
	for _, m := range leftJoinOn.FindAllStringSubmatchIndex(s, -1) {
		table := s[m[2]:m[3]]
		alias := ""
		if m[4] >= 0 {
			alias = s[m[4]:m[5]]
		}
		names := []string{strings.ToLower(table)}
		if alias != "" {
			names = []string{strings.ToLower(alias)}
		}
		for _, cond := range conjuncts(unwrap(onClause(s[m[1]:]))) {
			if f := valueFilter.FindStringSubmatch(cond); f != nil {
				q := strings.ToLower(f[1] + f[2])
				for _, n := range names {
					if q == n {
						out = append(out, strings.Trim(cond, "() "))
					}
				}
			}
		}
	}
	return out
}

// leftJoinOn matches LEFT [OUTER] JOIN table [[AS] alias] ON; the ON clause
// follows the match.
var leftJoinOn = regexp.MustCompile(`(?i)\bLEFT\s+(?:OUTER\s+)?JOIN\s+(\w+)(?:\s+(?:AS\s+)?((?:[a-z_]\w*)))?\s+ON\b`)

// valueFilter matches a condition that compares a qualified column with a
// value, either way round; group 1 or 2 holds the qualifier.
var valueFilter = regexp.MustCompile(`(?i)^\(*\s*(?:(\w+)\.\w+\s*(?:=|==|!=|<>|<=|>=|<|>|\bIS\b|\bLIKE\b|\bGLOB\b|\bIN\b)\s*\(?\s*\?+|\?+\s*(?:=|==|!=|<>|<=|>=|<|>)\s*(\w+)\.\w+)`)

// onClause returns the text of an ON clause at the start of s: up to the
// end of its parentheses, or a keyword that ends it at their level.
func onClause(s string) string {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return s[:i]
			}
			depth--
		default:
			if depth == 0 && (i == 0 || !isWordByte(s[i-1])) && onEnd.MatchString(s[i:]) {
				return s[:i]
			}
		}
	}
	return s
}

// onEnd matches a word that ends an ON clause.
var onEnd = regexp.MustCompile(`(?i)^(?:LEFT|RIGHT|FULL|INNER|CROSS|NATURAL|JOIN|WHERE|GROUP|ORDER|LIMIT|HAVING|WINDOW|UNION|EXCEPT|INTERSECT|RETURNING)\b`)

// conjuncts splits a condition at its top-level ANDs.
func conjuncts(s string) []string {
	parts := SplitTopLevel(s, "AND")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// SplitTopLevel cuts s at each sep outside parentheses: a punctuation mark
// (",") wherever it stands, a word ("AND") in any letters where it stands
// as a whole word. The pieces are as they stand in s, spaces kept.
func SplitTopLevel(s, sep string) []string {
	word := sep != "" && isWordByte(sep[0])
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
			continue
		case ')':
			depth--
			continue
		}
		if depth != 0 || len(s) < i+len(sep) || !strings.EqualFold(s[i:i+len(sep)], sep) {
			continue
		}
		if word && (i > 0 && isWordByte(s[i-1]) || i+len(sep) < len(s) && isWordByte(s[i+len(sep)])) {
			continue
		}
		out = append(out, s[start:i])
		start = i + len(sep)
		i += len(sep) - 1
	}
	return append(out, s[start:])
}

// unwrap returns s without the parentheses that enclose all of it.
func unwrap(s string) string {
	for {
		s = strings.TrimSpace(s)
		if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
			return s
		}
		depth := 0
		for i := 0; i < len(s)-1; i++ {
			switch s[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				return s // the first parenthesis closes before the end
			}
		}
		s = s[1 : len(s)-1]
	}
}
