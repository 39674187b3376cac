package checker

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/words"
)

// A result can be right on a lesson's small data sets and still be cut
// short: a LIMIT of 5 where at most 5 rows qualify, or an OFFSET where the
// first rows skipped hold nothing the check looks at. No data set of a
// fixed size shows every such cut, so the checker reads the statements:
// unless the check says the lesson asks for the first rows of an order
// ([Check.Limits]), a query of the learner's with a LIMIT of more than one
// row, or with an OFFSET, fails every check that compares a result. LIMIT 1
// stays allowed: it is how code asks for the one row a key names.

// limitNote explains the first query of the learner's that cuts its
// result with a LIMIT or an OFFSET, as described above, or returns "".
func (c *C) limitNote(noun string) string {
	if c.check.Limits {
		return ""
	}
	for _, e := range c.log.Statements() {
		if !e.Query {
			continue
		}
		text, ok := stmtlog.TopLimit(e.SQL)
		n, known := limitValue(text, e.Args)
		if !ok {
			// A LIMIT in a subquery cuts the rows the query is built
			// from: IN (SELECT id FROM users LIMIT 1000).
			text, n, known, ok = innerLimit(e.SQL, e.Args)
			if !ok {
				continue
			}
		}
		offset := strings.Contains(strings.ToUpper(text), "OFFSET") || strings.Contains(text, ",")
		if zeroOffset.MatchString(text) {
			offset = false // OFFSET 0 skips nothing
		}
		if !offset && (!known || n <= 1) {
			continue
		}
		where := ""
		if site := c.cfg.sites().of(e); site != nil {
			where = " (" + site.Where() + ")"
		}
		what := "LIMIT " + text
		if known && strings.Contains(text, "?") {
			what = fmt.Sprintf("LIMIT %s, with %d", text, n)
		}
		cut := fmt.Sprintf("as soon as more than %d qualify", n)
		if offset || !known {
			cut = "by the rows it skips or leaves out"
		}
		return fmt.Sprintf("Statement %d%s has %s, and the lesson asks for every %s.\n"+
			"The LIMIT cuts the answer %s. The data here is small, so it cuts\n"+
			"nothing you can see (statement %d returned %s), but on a larger database it would.\n"+
			"Drop the LIMIT (and any OFFSET); LIMIT 1 is for asking for the one row a key names.",
			e.Seq, where, what, statementNoun(e.SQL, noun), cut, e.Seq, protocol.Counted(int(e.Rows), "row"))
	}
	return ""
}

// grouped matches a GROUP BY clause.
var grouped = regexp.MustCompile(`(?i)\bgroup\s+by\b`)

// having matches a HAVING clause.
var having = regexp.MustCompile(`(?i)\bhaving\b`)

// statementNoun names one row of what statement query reads: one of the
// first table its top level names ("expense" for FROM expenses, whatever
// its subqueries read), which may not be what the check compares (users,
// each with their expenses), or noun when it names none, names one of its
// own common table expressions, or groups its rows (a row of FROM users u
// JOIN expenses … GROUP BY c.name is a total, not a user).
func statementNoun(query, noun string) string {
	t := stmtlog.TopTable(query)
	if t == "" || grouped.MatchString(query) || regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(t)+`\s*(\([^)]*\)\s*)?AS\s*(NOT\s+)?(MATERIALIZED\s*)?\(`).MatchString(query) {
		return noun
	}
	return words.Singular(t)
}

// limitValue reads the number of rows a LIMIT clause text allows: a
// literal, or a ? bound to an integer (the statement's last argument).
func limitValue(text string, args []any) (int64, bool) {
	first := strings.Fields(text)
	if len(first) == 0 {
		return 0, false
	}
	v := strings.TrimRight(first[0], ",")
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	if v == "?" && len(args) > 0 && !strings.Contains(strings.ToUpper(text), "OFFSET") {
		switch n := args[len(args)-1].(type) {
		case int64:
			return n, true
		case int:
			return int64(n), true
		}
	}
	return 0, false
}

// keptNote explains a result that cannot have come from this run's
// database: a check that gives the learner a budget expects their code to
// ask the database, and a result of rows returned after no statement at all
// was kept from an earlier call (a package-level cache) or made up. It
// returns "" when the learner's code ran a statement, or the result is
// empty.
func (c *C) keptNote(got any, noun string) string {
	if c.budget() <= 0 || c.log.Count() > 0 {
		return ""
	}
	if isEmpty(got) {
		// No rows, and no question asked: the answer may be right here,
		// but it did not come from the data, which only a query reads.
		return fmt.Sprintf("%s returned no %s, but sent no statement to this run's database, a fresh copy\n"+
			"  of %s: an empty answer has to come from the data too, or it is a guess (right here,\n"+
			"  wrong as soon as the rows exist). Ask the database each call.",
			c.callName(), words.Plural(noun), c.data)
	}
	return fmt.Sprintf("%s returned %s, but sent no statement to this run's database, a fresh copy of %s:\n"+
		"  what it returned was kept from an earlier call (a package-level variable, a cache) or made\n"+
		"  up. Read the rows from the database each call: kept rows go stale as soon as the data\n"+
		"  changes, and each run of a check has a fresh copy, often of other data.",
		c.callName(), words.Plural(noun), c.data)
}

// isEmpty reports whether a compared value holds nothing a database had to
// give: null, an empty list, false, "" or 0.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []any:
		return len(v) == 0
	case bool:
		return !v
	case string:
		return v == ""
	case json.Number:
		f, err := v.Float64()
		return err == nil && f == 0
	}
	return false
}

// innerLimit finds the first LIMIT inside parentheses in query (a
// subquery's) that allows more than one row, or has an OFFSET, and returns
// its text ("1000", "?"), the rows it allows when known (a literal, or the
// argument its ? is bound to), and whether there is one.
//
// A LIMIT inside EXISTS (…) is left out: EXISTS asks whether there is a
// row, and no LIMIT of one or more rows changes the answer.
func innerLimit(query string, args []any) (text string, n int64, known, ok bool) {
	depth, marks := 0, 0
	var exists []bool // for each open parenthesis, whether it follows EXISTS
	inExists := func() bool { return len(exists) > 0 && exists[len(exists)-1] }
	for i := 0; i < len(query); i++ {
		switch c := query[i]; {
		case c == '\'' || c == '"' || c == '`':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				return "", 0, false, false
			}
			i += j + 1
		case c == '?':
			marks++
		case c == '(':
			depth++
			before := strings.TrimRight(query[:i], " \t\r\n")
			exists = append(exists, inExists() || len(before) >= 6 && strings.EqualFold(before[len(before)-6:], "exists"))
		case c == ')':
			depth--
			if len(exists) > 0 {
				exists = exists[:len(exists)-1]
			}
		case depth > 0 && !inExists() && (c == 'l' || c == 'L') && (i == 0 || !isWordByte(query[i-1])) && len(query) >= i+5 &&
			strings.EqualFold(query[i:i+5], "limit") && (len(query) == i+5 || !isWordByte(query[i+5])):
			rest := query[i+5:]
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				end = len(rest)
			}
			clause := strings.TrimSpace(rest[:end])
			f := strings.Fields(clause)
			if len(f) == 0 {
				continue
			}
			offset := strings.Contains(strings.ToUpper(clause), "OFFSET") || strings.Contains(clause, ",")
			v := strings.TrimRight(f[0], ",")
			n, known := int64(0), false
			if x, err := strconv.ParseInt(v, 10, 64); err == nil {
				n, known = x, true
			} else if v == "?" && marks < len(args) {
				switch x := args[marks].(type) {
				case int64:
					n, known = x, true
				case int:
					n, known = int64(x), true
				}
			}
			if offset || known && n > 1 {
				return clause, n, known, true
			}
		}
	}
	return "", 0, false, false
}

// constantBound matches a range comparison with a constant: a number other
// than 0 or 1, or a quoted text, on either side of <, <=, >, >= or
// BETWEEN … AND. The counts and flags a query compares with 0 or 1 (count(*)
// > 0, a boolean = 1) are no bound on the data.
var constantBound = regexp.MustCompile(`(?i)(?:<=?|>=?|\bbetween\b|\band\b)\s*(-?(?:[2-9]|\d{2,})(?:\.\d+)?\b|'[^']*')|(-?(?:[2-9]|\d{2,})(?:\.\d+)?|'[^']*')\s*(?:<=?|>=?)`)

// findBound returns the first match of constantBound in shape that is a
// bound: not an inequality (<> or !=, read as a < or >), and not a
// constant inside arithmetic (amount_cents / 100 >= ?, whose 100 is a
// unit, not a bound). It returns nil without one.
func findBound(shape string) []string {
	for _, at := range constantBound.FindAllStringSubmatchIndex(shape, -1) {
		m := shape[at[0]:at[1]]
		before := strings.TrimRight(shape[:at[0]], " \t\n")
		after := strings.TrimLeft(shape[at[1]:], " \t\n")
		switch {
		case strings.HasPrefix(m, ">") && strings.HasSuffix(before, "<"),
			strings.HasPrefix(m, "<") && strings.HasPrefix(strings.TrimLeft(m[1:], " "), ">"),
			strings.HasPrefix(m, ">") && strings.HasSuffix(before, "!"):
			continue // <> or !=: no range
		case at[4] >= 0 && strings.HasSuffix(before, "/") || at[4] >= 0 && strings.HasSuffix(before, "*") ||
			at[4] >= 0 && strings.HasSuffix(before, "%"),
			at[2] >= 0 && strings.ContainsAny(after[:min(1, len(after))], "*/%"):
			continue // a constant inside arithmetic: a unit or a scale
		}
		out := make([]string, len(at)/2)
		for i := range out {
			if at[2*i] >= 0 {
				out[i] = shape[at[2*i]:at[2*i+1]]
			}
		}
		return out
	}
	return nil
}

// boundNote explains the first query of the learner's that compares a
// column with a constant of its own (see [Check.Bounds]), or returns "".
// BETWEEN … AND is read by its AND; an AND of two conditions that begins
// with a constant is read the same way, which no right answer writes.
func (c *C) boundNote(noun string) string {
	if c.check.Bounds {
		return ""
	}
	for _, e := range c.log.Statements() {
		if !e.Query && !isWrite(e.SQL) {
			continue
		}
		shape := stripLimit(e.SQL)
		m := findBound(shape)
		if m == nil {
			continue
		}
		where := ""
		if site := c.cfg.sites().of(e); site != nil {
			where = " (" + site.Where() + ")"
		}
		rows := statementNoun(e.SQL, noun)
		if having.MatchString(shape[:strings.Index(shape, m[0])]) {
			rows = noun // a HAVING bound cuts groups, what the check compares
		}
		return fmt.Sprintf("Statement %d%s compares with a constant of its own, %s, and the lesson states no\n"+
			"such bound: it asks for every %s. A bound above every row here cuts nothing you can see, and\n"+
			"drops the rows that pass it tomorrow. Leave it out.\n    %s",
			e.Seq, where, strings.TrimSpace(m[0]), rows, stmtlog.Shorten(strings.Join(strings.Fields(e.SQL), " "), 100))
	}
	return ""
}

// stripLimit drops the LIMIT and OFFSET clauses of a query's text, whose
// numbers are no comparison (limitNote judges them).
var limitClause = regexp.MustCompile(`(?i)\b(?:limit|offset)\s+-?\d+`)

func stripLimit(sql string) string { return limitClause.ReplaceAllString(sql, "") }

// zeroOffset matches a LIMIT clause's text whose OFFSET is 0.
var zeroOffset = regexp.MustCompile(`(?i)^\S+\s+offset\s+0\s*$`)
