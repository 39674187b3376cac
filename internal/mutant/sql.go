package mutant

import (
	"strings"
)

// tokKind is the kind of one SQL sqlToken.
type tokKind int

const (
	tokSpace   tokKind = iota // white space
	tokComment                // -- to the end of the line, or /* … */
	tokString                 // '…', with '' inside
	tokIdent                  // "…", `…` or […]: a quoted identifier
	tokWord                   // a keyword or a bare name
	tokNumber
	tokPunct // one character, or one of >= <= <> != == ||
)

// sqlToken is one sqlToken of a statement: its kind, its bytes, and the depth of
// parentheses it stands in (an opening parenthesis stands outside the
// parentheses it opens, its closing one too).
type sqlToken struct {
	kind       tokKind
	text       string
	start, end int // byte offsets in the statement
	depth      int
}

// upper is the sqlToken's text in upper case, for keywords.
func (t sqlToken) upper() string { return strings.ToUpper(t.text) }

// is reports whether t is the keyword kw (upper case).
func (t sqlToken) is(kw string) bool { return t.kind == tokWord && t.upper() == kw }

// tokenize cuts a statement into tokens. It never fails: an unterminated
// string or comment runs to the end of the text.
func tokenize(s string) []sqlToken {
	var toks []sqlToken
	depth := 0
	for i := 0; i < len(s); {
		start := i
		c := s[i]
		kind := tokPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			kind = tokSpace
			for i < len(s) && strings.IndexByte(" \t\n\r\f", s[i]) >= 0 {
				i++
			}
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			kind = tokComment
			if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(s)
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			kind = tokComment
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				i += 2 + j + 2
			} else {
				i = len(s)
			}
		case c == '\'' || c == '"' || c == '`':
			kind = tokString
			if c != '\'' {
				kind = tokIdent
			}
			i++
			for i < len(s) {
				if s[i] == c {
					if i+1 < len(s) && s[i+1] == c { // doubled: one quote inside
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
		case c == '[':
			kind = tokIdent
			if j := strings.IndexByte(s[i:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
		case isWordByte(c) && !(c >= '0' && c <= '9'):
			kind = tokWord
			for i < len(s) && isWordByte(s[i]) {
				i++
			}
		case c >= '0' && c <= '9':
			kind = tokNumber
			for i < len(s) && (isWordByte(s[i]) || s[i] == '.') {
				i++
			}
		default:
			i++
			if i < len(s) {
				switch s[start : i+1] {
				case ">=", "<=", "<>", "!=", "==", "||":
					i++
				}
			}
		}
		t := sqlToken{kind: kind, text: s[start:i], start: start, end: i, depth: depth}
		if t.text == "(" {
			depth++
		} else if t.text == ")" && depth > 0 {
			depth--
			t.depth = depth
		}
		toks = append(toks, t)
	}
	return toks
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// isSQL reports whether s reads as a statement: its first word, past
// spaces and comments, is one that starts one.
func isSQL(s string) bool {
	for _, t := range tokenize(s) {
		switch t.kind {
		case tokSpace, tokComment:
			continue
		case tokWord:
			switch t.upper() {
			case "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "WITH", "REPLACE", "ALTER", "DROP":
				return true
			}
		}
		return false
	}
	return false
}

// sqlEdit is one change to a statement: the bytes [start, end) become with.
type sqlEdit struct {
	op         string
	start, end int
	with       string
	what       string // a few words for the report
}

func (e sqlEdit) apply(s string) string { return s[:e.start] + e.with + s[e.end:] }

// sqlMutants returns every one-place change of the statement s that the
// SQL operators make, in the order they occur.
func sqlMutants(s string) []sqlEdit {
	all := tokenize(s)
	// code holds the tokens that are neither space nor comment.
	var code []sqlToken
	for _, t := range all {
		if t.kind != tokSpace && t.kind != tokComment {
			code = append(code, t)
		}
	}
	var out []sqlEdit
	for i, t := range code {
		prev := func(k int) sqlToken {
			if i-k >= 0 {
				return code[i-k]
			}
			return sqlToken{}
		}
		next := func(k int) sqlToken {
			if i+k < len(code) {
				return code[i+k]
			}
			return sqlToken{}
		}
		switch {
		case t.is("ORDER") && next(1).is("BY"):
			out = append(out, orderMutants(s, code, i)...)
		case t.is("WHERE"):
			out = append(out, conjunctMutants(s, code, i, "drop-where", whereEnds)...)
		case t.is("ON") && !namesTable(code, i) && !next(1).is("DELETE") && !next(1).is("UPDATE") && !next(1).is("CONFLICT"):
			out = append(out, conjunctMutants(s, code, i, "drop-on", onEnds)...)
		case t.is("JOIN"):
			p := prev(1)
			switch {
			case p.is("OUTER") && prev(2).is("LEFT"):
				out = append(out, sqlEdit{op: "left-join", start: prev(2).start, end: t.end, with: "JOIN", what: "LEFT OUTER JOIN → JOIN"})
			case p.is("LEFT"):
				out = append(out, sqlEdit{op: "left-join", start: p.start, end: t.end, with: "JOIN", what: "LEFT JOIN → JOIN"})
			case p.is("INNER"):
				out = append(out, sqlEdit{op: "join", start: p.start, end: t.end, with: "LEFT JOIN", what: "INNER JOIN → LEFT JOIN"})
			case p.is("CROSS") || p.is("NATURAL") || p.is("RIGHT") || p.is("FULL") || p.is("OUTER"):
			default:
				out = append(out, sqlEdit{op: "join", start: t.start, end: t.end, with: "LEFT JOIN", what: "JOIN → LEFT JOIN"})
			}
		case t.is("DISTINCT"):
			out = append(out, sqlEdit{op: "drop-distinct", start: t.start, end: spanEnd(s, t.end), what: "DISTINCT dropped"})
		case t.kind == tokPunct && (t.text == ">=" || t.text == ">" || t.text == "<=" || t.text == "<"):
			flip := map[string]string{">=": ">", ">": ">=", "<=": "<", "<": "<="}[t.text]
			out = append(out, sqlEdit{op: "compare", start: t.start, end: t.end, with: flip, what: t.text + " → " + flip})
		case t.kind == tokWord && next(1).text == "(" && (aggregates[t.upper()] != nil || t.is("GROUP_CONCAT")):
			out = append(out, aggregateMutants(s, code, i)...)
		case t.is("LIMIT"):
			end := i + 1
			for end < len(code) && code[end].depth == t.depth && (code[end].kind == tokNumber || code[end].is("OFFSET") ||
				code[end].text == "?" || code[end].text == "," || code[end].kind == tokWord && code[end].upper()[0] == '$') {
				end++
			}
			out = append(out, sqlEdit{op: "drop-limit", start: trimLeft(s, t.start), end: code[end-1].end, what: "LIMIT dropped"})
		case t.is("DELETE") && prev(1).is("ON"):
			out = append(out, onDeleteMutants(code, i)...)
		}
	}
	return out
}

// spanEnd extends end over the spaces that follow it, so that a dropped
// word takes its space with it.
func spanEnd(s string, end int) int {
	for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
		end++
	}
	return end
}

// trimLeft moves start back over the spaces before it.
func trimLeft(s string, start int) int {
	for start > 0 && strings.IndexByte(" \t\n\r", s[start-1]) >= 0 {
		start--
	}
	return start
}

// clauseEnd returns the index in code of the first sqlToken past the clause
// that starts at code[from], at depth: a sqlToken at a lower depth, a
// semicolon, a comma when commaEnds, or a keyword in ends.
func clauseEnd(code []sqlToken, from, depth int, ends map[string]bool, commaEnds bool) int {
	for j := from; j < len(code); j++ {
		t := code[j]
		if t.depth < depth || t.depth == depth && (t.text == ";" || commaEnds && t.text == "," || t.kind == tokWord && ends[t.upper()]) {
			return j
		}
	}
	return len(code)
}

var (
	orderEnds = map[string]bool{"LIMIT": true, "OFFSET": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "RETURNING": true, "WINDOW": true}
	whereEnds = map[string]bool{"GROUP": true, "ORDER": true, "LIMIT": true, "HAVING": true, "WINDOW": true, "UNION": true,
		"EXCEPT": true, "INTERSECT": true, "RETURNING": true, "ON": true, "DO": true}
	onEnds = map[string]bool{"JOIN": true, "LEFT": true, "INNER": true, "CROSS": true, "NATURAL": true, "RIGHT": true, "FULL": true,
		"WHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true, "HAVING": true, "WINDOW": true, "UNION": true, "EXCEPT": true,
		"INTERSECT": true, "RETURNING": true}
)

// splitTop splits code[from:to] at the tokens sep says separate parts at
// the depth, returning each part as a range of indexes.
func splitTop(code []sqlToken, from, to, depth int, sep func(j int) bool) [][2]int {
	var parts [][2]int
	start := from
	for j := from; j < to; j++ {
		if code[j].depth == depth && sep(j) {
			parts = append(parts, [2]int{start, j})
			start = j + 1
		}
	}
	return append(parts, [2]int{start, to})
}

// orderMutants drops each key of the ORDER BY at code[i] (the whole
// clause when it has one key) and flips each key's direction.
func orderMutants(s string, code []sqlToken, i int) []sqlEdit {
	d := code[i].depth
	end := clauseEnd(code, i+2, d, orderEnds, false)
	if end == i+2 {
		return nil
	}
	keys := splitTop(code, i+2, end, d, func(j int) bool { return code[j].text == "," })
	var out []sqlEdit
	for k, key := range keys {
		if key[0] >= key[1] {
			continue
		}
		first, last := code[key[0]], code[key[1]-1]
		text := strings.Join(strings.Fields(s[first.start:last.end]), " ")
		switch {
		case len(keys) == 1:
			out = append(out, sqlEdit{op: "drop-order-key", start: trimLeft(s, code[i].start), end: last.end, what: "ORDER BY " + text + " dropped"})
		case k == 0: // "a, b" → "b"
			out = append(out, sqlEdit{op: "drop-order-key", start: first.start, end: code[keys[1][0]].start, what: "ORDER BY key " + text + " dropped"})
		default: // "a, b" → "a"
			out = append(out, sqlEdit{op: "drop-order-key", start: code[keys[k-1][1]-1].end, end: last.end, what: "ORDER BY key " + text + " dropped"})
		}
		// The direction: the last word of the key, past NULLS FIRST/LAST.
		dir := key[1] - 1
		if code[dir].is("FIRST") || code[dir].is("LAST") {
			dir -= 2
		}
		switch {
		case dir >= key[0] && code[dir].is("DESC"):
			out = append(out, sqlEdit{op: "flip-direction", start: code[dir].start, end: code[dir].end, with: "ASC", what: text + ": DESC → ASC"})
		case dir >= key[0] && code[dir].is("ASC"):
			out = append(out, sqlEdit{op: "flip-direction", start: code[dir].start, end: code[dir].end, with: "DESC", what: text + ": ASC → DESC"})
		default:
			at := code[dir].end
			out = append(out, sqlEdit{op: "flip-direction", start: at, end: at, with: " DESC", what: text + ": ASC → DESC"})
		}
	}
	return out
}

// conjunctMutants drops each top-level AND conjunct of the WHERE or ON at
// code[i], or the whole clause when it has one.
func conjunctMutants(s string, code []sqlToken, i int, op string, ends map[string]bool) []sqlEdit {
	d := code[i].depth
	end := clauseEnd(code, i+1, d, ends, op == "drop-on")
	if end == i+1 {
		return nil
	}
	between := false
	parts := splitTop(code, i+1, end, d, func(j int) bool {
		switch {
		case code[j].is("BETWEEN"):
			between = true
		case code[j].is("AND") && between:
			between = false
		case code[j].is("AND"):
			return true
		}
		return false
	})
	kw := code[i].upper()
	var out []sqlEdit
	for k, p := range parts {
		if p[0] >= p[1] {
			continue
		}
		first, last := code[p[0]], code[p[1]-1]
		text := strings.Join(strings.Fields(s[first.start:last.end]), " ")
		switch {
		case len(parts) == 1:
			out = append(out, sqlEdit{op: op, start: trimLeft(s, code[i].start), end: last.end, what: kw + " " + text + " dropped"})
		case k == 0:
			out = append(out, sqlEdit{op: op, start: first.start, end: code[parts[1][0]].start, what: kw + " conjunct " + text + " dropped"})
		default:
			out = append(out, sqlEdit{op: op, start: code[parts[k-1][1]-1].end, end: last.end, what: kw + " conjunct " + text + " dropped"})
		}
	}
	return out
}

// aggregates maps each aggregate to those it is swapped for.
var aggregates = map[string][]string{"SUM": {"count", "avg"}, "COUNT": {"sum", "avg"}, "AVG": {"sum", "count"}, "TOTAL": {"count", "avg"}}

// aggregateMutants swaps the aggregate at code[i] for the others, and
// count(*) for count of a column, count(col) for count(*). It also makes
// the aggregate of one argument DISTINCT, sum(x) → sum(DISTINCT x): the
// wrong answer that gives the same result wherever no group holds a value
// twice, so that a data set without such a group shows as a survivor.
func aggregateMutants(s string, code []sqlToken, i int) []sqlEdit {
	t := code[i]
	close := clauseEnd(code, i+2, t.depth+1, nil, false) // the closing parenthesis
	if close >= len(code) {
		return nil
	}
	star := close == i+3 && code[i+2].text == "*"
	var out []sqlEdit
	if !star && close > i+2 && !code[i+2].is("DISTINCT") && !code[i+2].is("ALL") &&
		clauseEnd(code, i+2, t.depth+1, nil, true) == close { // one argument: DISTINCT takes no more
		arg := strings.Join(strings.Fields(s[code[i+2].start:code[close-1].end]), " ")
		out = append(out, sqlEdit{op: "distinct-aggregate", start: code[i+2].start, end: code[i+2].start,
			with: "DISTINCT ", what: t.text + "(" + arg + ") → " + t.text + "(DISTINCT " + arg + ")"})
	}
	if aggregates[t.upper()] == nil { // group_concat: only DISTINCT
		return out
	}
	if !star {
		for _, to := range aggregates[t.upper()] {
			out = append(out, sqlEdit{op: "aggregate", start: t.start, end: t.end, with: matchCase(t.text, to), what: t.text + " → " + to})
		}
	}
	if t.upper() != "COUNT" {
		return out
	}
	if star {
		if col := countColumn(code); col != "" {
			out = append(out, sqlEdit{op: "count-star", start: code[i+2].start, end: code[i+2].end, with: col, what: "count(*) → count(" + col + ")"})
		}
	} else if close > i+2 {
		out = append(out, sqlEdit{op: "count-star", start: code[i+2].start, end: code[close-1].end, with: "*", what: "count(" + s[code[i+2].start:code[close-1].end] + ") → count(*)"})
	}
	return out
}

// countColumn picks the column count(*) becomes: the first column named
// through the table a LEFT JOIN brings in (the count that differs on an
// empty group), else the first qualified column.
func countColumn(code []sqlToken) string {
	var left string
	for j := 0; j+2 < len(code); j++ {
		if code[j].is("LEFT") {
			k := j + 1
			if code[k].is("OUTER") {
				k++
			}
			if k+1 < len(code) && code[k].is("JOIN") {
				left = code[k+1].text
				if k+3 < len(code) && code[k+2].is("AS") {
					left = code[k+3].text
				} else if k+2 < len(code) && code[k+2].kind == tokWord && !code[k+2].is("ON") && !code[k+2].is("USING") {
					left = code[k+2].text
				}
			}
			break
		}
	}
	first := ""
	for j := 0; j+2 < len(code); j++ {
		if code[j].kind == tokWord && code[j+1].text == "." && code[j+2].kind == tokWord {
			col := code[j].text + "." + code[j+2].text
			if left != "" && strings.EqualFold(code[j].text, left) {
				return col
			}
			if first == "" {
				first = col
			}
		}
	}
	return first
}

func matchCase(like, s string) string {
	if like == strings.ToUpper(like) {
		return strings.ToUpper(s)
	}
	return s
}

// onDeleteMutants swaps the action of the ON DELETE whose DELETE is code[i].
func onDeleteMutants(code []sqlToken, i int) []sqlEdit {
	if i+1 >= len(code) {
		return nil
	}
	a := code[i+1]
	end := a
	var action string
	switch {
	case a.is("CASCADE"), a.is("RESTRICT"):
		action = a.upper()
	case (a.is("SET") || a.is("NO")) && i+2 < len(code):
		end = code[i+2]
		action = a.upper() + " " + end.upper()
	default:
		return nil
	}
	var out []sqlEdit
	for _, to := range []string{"CASCADE", "RESTRICT", "NO ACTION", "SET NULL"} {
		if to != action {
			out = append(out, sqlEdit{op: "on-delete", start: a.start, end: end.end, with: to, what: "ON DELETE " + action + " → " + to})
		}
	}
	return out
}

// namesTable reports whether the ON at code[i] names a table, as in CREATE
// INDEX … ON t(…) and CREATE TRIGGER … ON t, rather than a join condition.
func namesTable(code []sqlToken, i int) bool {
	for j := i - 1; j >= 0 && code[j].text != ";"; j-- {
		switch {
		case code[j].is("INDEX"), code[j].is("TRIGGER"):
			return true
		case code[j].is("JOIN"), code[j].is("SELECT"), code[j].is("FROM"):
			return false
		}
	}
	return false
}
