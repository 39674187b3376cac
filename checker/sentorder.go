package checker

import (
	"regexp"
	"strings"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
)

// sentOrder returns the terms of the ORDER BY that ends the last query the
// learner's code sent which has one, where each term is a column (e.id,
// amount_cents) and not an expression or a position; nil when there is no
// such query.
func sentOrder(stmts []stmtlog.Entry) []rowdiff.SortKey {
	for i := len(stmts) - 1; i >= 0; i-- {
		if !stmts[i].Query {
			continue
		}
		if terms := orderByTerms(stmts[i].SQL); terms != nil {
			return terms
		}
	}
	return nil
}

var (
	orderByStart = regexp.MustCompile(`(?i)^order\s+by\b`)
	orderEnds    = regexp.MustCompile(`(?i)^(limit|offset|window)\b`)
	columnTerm   = regexp.MustCompile(`(?i)^("?[a-z_][a-z0-9_]*"?\.)?"?[a-z_][a-z0-9_]*"?(\s+collate\s+\w+)?(\s+(asc|desc))?(\s+nulls\s+(first|last))?$`)
	// foldedTerm is lower(column) or upper(column), which the order
	// compares as a column without case.
	foldedTerm = regexp.MustCompile(`(?i)^(lower|upper)\s*\(\s*(("?[a-z_][a-z0-9_]*"?\.)?"?[a-z_][a-z0-9_]*"?)\s*\)(.*)$`)
)

// orderByTerms reads the ORDER BY of a query's outermost SELECT: the last
// one outside parentheses, strings and comments. Terms that are not a
// plain column are left out.
func orderByTerms(sql string) []rowdiff.SortKey {
	var at, end int = -1, len(sql)
	depth := 0
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case c == '\'' || c == '"' || c == '`':
			j := strings.IndexByte(sql[i+1:], c)
			if j < 0 {
				return nil
			}
			i += j + 1
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			i += j
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (i == 0 || !isWordByte(sql[i-1])) && orderByStart.MatchString(sql[i:]):
			at, end = i, len(sql)
		case depth == 0 && at >= 0 && end == len(sql) && (c == ';' || !isWordByte(sql[i-1]) && orderEnds.MatchString(sql[i:])):
			end = i
		}
	}
	if at < 0 {
		return nil
	}
	clause := orderByStart.ReplaceAllString(sql[at:end], "")
	var out []rowdiff.SortKey
	for _, term := range stmtlog.SplitTopLevel(clause, ",") {
		term = strings.TrimSpace(term)
		folded := false
		if m := foldedTerm.FindStringSubmatch(term); m != nil {
			term, folded = m[2]+m[4], true
		}
		if !columnTerm.MatchString(term) {
			continue
		}
		f := strings.Fields(term)
		k := rowdiff.SortKey{Term: strings.ReplaceAll(f[0], `"`, ""), FoldsCase: folded}
		for i, w := range f[1:] {
			switch {
			case strings.EqualFold(w, "desc"):
				k.Desc = true
			case strings.EqualFold(w, "collate") && i+2 < len(f):
				k.FoldsCase = k.FoldsCase || strings.EqualFold(f[i+2], "nocase")
			}
		}
		out = append(out, k)
	}
	if out == nil {
		out = []rowdiff.SortKey{}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
