package checker

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
	"workbook/internal/sqlite"
)

// NearMisses returns texts close to s that are not s, for a check to ask
// for by name and expect nothing back: s in other capitals, with spaces
// around it or on one side, cut short at either end, longer at either end,
// and with a character replaced by the wildcards of LIKE (% and _) and of
// GLOB (* and ?). Code that compares a name loosely (LIKE, GLOB, COLLATE
// NOCASE or RTRIM, lower(), trim(), ltrim(), instr(), a prefix, suffix or
// substring match, either way round) finds s's rows for at least one of
// them; code that compares with = finds none. A near miss that the data
// holds as a value of its own is the check's to leave out.
func NearMisses(s string) []string {
	var out []string
	seen := map[string]bool{s: true, "": true}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	add(strings.ToUpper(s))
	add(strings.ToLower(s))
	add(swapFirstCase(s))
	add(" " + s + " ")
	add(s + " ")
	add(" " + s)
	add("x" + s)
	add(s + "x")
	if n := utf8.RuneCountInString(s); n >= 3 {
		r := []rune(s)
		add(string(r[:n-1]))
		add(string(r[1:]))
		mid := n / 2
		for _, w := range []string{"%", "_", "*", "?"} {
			add(string(r[:mid]) + w + string(r[mid+1:]))
		}
	}
	return out
}

// NearMissBudget is the most near misses [NearMisses] returns for one
// value: three in other capitals, five with spaces or a character more,
// two cut short and four with a wildcard. A check that asks for each, as
// [C.ExpectNoNearMisses] does, with one statement each, needs this budget.
const NearMissBudget = 14

// swapFirstCase returns s with its first letter in the other case.
func swapFirstCase(s string) string {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		o := unicode.ToUpper(r)
		if unicode.IsUpper(r) {
			o = unicode.ToLower(r)
		}
		return s[:i] + string(o) + s[i+utf8.RuneLen(r):]
	}
	return s
}

// Pasted returns the first statement the learner's code sent whose text
// holds value as an SQL string literal (Food in quotes, or Kids' Clothes with its quote doubled): the
// value was pasted into the text rather than bound to a ? placeholder,
// which breaks on a quote and lets the value change the statement.
func (c *C) Pasted(value string) (stmtlog.Entry, bool) { return pastedIn(c.log.Statements(), value) }

// pastedIn returns the first statement of entries whose text holds value
// as an SQL string literal.
func pastedIn(entries []stmtlog.Entry, value string) (stmtlog.Entry, bool) {
	single := "'" + strings.ReplaceAll(value, "'", "''") + "'"
	double := `"` + strings.ReplaceAll(value, `"`, `""`) + `"`
	for _, e := range entries {
		if e.Kind != stmtlog.KindStatement {
			continue
		}
		if strings.Contains(e.SQL, single) || strings.Contains(e.SQL, double) {
			return e, true
		}
	}
	return stmtlog.Entry{}, false
}

// PastedNote explains a statement [C.Pasted] found.
func PastedNote(e stmtlog.Entry, value string) string {
	text := stmtlog.Shorten(strings.Join(strings.Fields(e.SQL), " "), 100)
	if strings.ContainsAny(value, `'"`) {
		// The quote came through doubled: escaped by hand.
		return fmt.Sprintf("Statement %d has %q written into its text, its quotes doubled:\n    %s\n"+
			"Doubling the quotes kept this value inside its string, but it is a rule to remember in every\n"+
			"statement, for every value and every kind of quote, and one place that forgets it lets a value\n"+
			"rewrite the statement. The lesson asks for a ? placeholder, which SQLite binds as a value and\n"+
			"never reads as SQL: db.Select(&out, `… WHERE c.name = ?`, category).", e.Seq, value, text)
	}
	return fmt.Sprintf("Statement %d has %q written into its text:\n    %s\n"+
		"A value pasted into SQL breaks on the first quote in it (Kids' Clothes would end the string\n"+
		"there) and lets the value rewrite the statement. Bind it to a ? placeholder instead, and\n"+
		"pass it as an argument: db.Select(&out, `… WHERE c.name = ?`, category).", e.Seq, value, text)
}

// changedArgument reports whether the statements in entries looked near
// up only by a changed copy of it: none holds near as an argument or in
// its text, and one holds a string argument that is near with spaces,
// capitals or characters at its ends changed. It returns that argument.
func changedArgument(entries []stmtlog.Entry, near string) (string, bool) {
	var changed string
	for _, e := range entries {
		if e.Kind != stmtlog.KindStatement {
			continue
		}
		if strings.Contains(e.SQL, near) {
			return "", false
		}
		for _, a := range e.Args {
			s, ok := a.(string)
			if !ok {
				continue
			}
			if s == near {
				return "", false
			}
			if changed == "" && s != "" && resembles(s, near) {
				changed = s
			}
		}
	}
	return changed, changed != ""
}

// resembles reports whether s is near in other capitals, without the
// spaces around it, or a part of it or it a part of s.
func resembles(s, near string) bool {
	ls, ln := strings.ToLower(strings.TrimSpace(s)), strings.ToLower(strings.TrimSpace(near))
	return ls == ln || strings.Contains(ln, ls) || strings.Contains(ls, ln)
}

// LooseMatch explains a lookup that found rows for a near miss of a name
// (see [NearMisses]): what column the query should compare, and how.
func LooseMatch(column string) string {
	return "Your query matches it loosely: LIKE and GLOB read % _ * ? as wildcards, COLLATE NOCASE and\n" +
		"lower() ignore capitals, trim(), ltrim() and COLLATE RTRIM ignore spaces, instr(), substr() and\n" +
		"LIKE '%' || ? || '%' find a part. Compare with " + column + " = ?, which matches the value\n" +
		"exactly as it is stored."
}

// A Lookup is a value the learner's code looks rows up by, for
// [C.ExpectNoNearMisses]: the value, where the data keeps it, and the
// column the learner's query should compare.
type Lookup struct {
	// Value is the value looked up: "Food", an email.
	Value string
	// Table and Column hold the values of its kind ("categories", "name"):
	// a near miss found there is a value of its own and is not asked for.
	Table, Column string
	// Compared is the column as the learner's query names it ("c.name"),
	// for the message.
	Compared string
	// Absent says, before the near miss, that nothing has it: "no
	// category is named".
	Absent string
}

// ExpectNoNearMisses asks for each near miss of l.Value (see
// [NearMisses]) that the data does not hold as a value of its own, by
// calling find with it, and stops the check at the first that finds
// something. find calls the learner's code and returns the call as the
// learner would write it and what it found in words ("3 expenses (the
// first, "Lunch")"), or "" when it found nothing.
func (c *C) ExpectNoNearMisses(l Lookup, find func(near string) (call, found string)) {
	for _, near := range NearMisses(l.Value) {
		var n []int
		c.Query(&n, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s = ?`, sqlite.QuoteIdent(l.Table), sqlite.QuoteIdent(l.Column)), near)
		if n[0] > 0 {
			continue // a value of its own, as food is beside Food on a variant
		}
		before, seq := c.log.Count(), c.lastSeq()
		call, found := find(near)
		if c.log.Count() == before {
			c.Fatalf("%s sent no statement to this run's database, a fresh copy of %s: whether\n"+
				"any row has %q only the data can say. A value may hold spaces, capitals, %% or _ and still\n"+
				"be stored as it is, and an answer kept from an earlier call goes stale. Ask the database\n"+
				"each call, comparing with %s = ?.", call, c.data, near, l.Compared)
		}
		after := c.entriesAfter(seq)
		if e, ok := pastedIn(after, near); ok {
			c.Fatalf("%s", PastedNote(e, near))
		}
		if found == "" {
			// Nothing came back: so little should have crossed over.
			advice := fmt.Sprintf("Let the statement choose the rows: compare with %s = ?, the call's value bound to it,\n"+
				"so the database sends only the rows you return.", l.Compared)
			if msg := rowsSentNote(after, 0, call, "row", advice); msg != "" {
				c.Fatalf("%s", msg)
			}
		}
		if found != "" {
			how := LooseMatch(l.Compared)
			if why := leftFilterIn(c.entriesAfter(seq)); why != "" {
				how = why
			} else if e, ok := pastedIn(after, l.Value); ok {
				how = fmt.Sprintf("Statement %d has %q written into its text, whatever the call asks for: it ignores the\n"+
					"value it was given (%q). Compare with %s = ?, and bind the call's value to the ?.",
					e.Seq, l.Value, near, l.Compared)
			}
			if sent, ok := changedArgument(c.entriesAfter(seq), near); ok {
				how = fmt.Sprintf("Your code sent %q to the database, not %q: it changed the value before\n"+
					"the query saw it (strings.TrimSpace, strings.ToLower or the like), so it found the rows of\n"+
					"another value. Pass the value on as the caller gave it, and compare with %s = ?: only\n"+
					"the value exactly as it is stored must match.", sent, near, l.Compared)
			}
			c.Fatalf("%s returned %s, but %s %q.\n%s", call, found, l.Absent, near, how)
		}
	}
}

// caseNote explains a difference that holds a text in other capitals than
// the one expected, when the learner's queries compare text without case:
// the lookup found the row of another value, one that differs only in its
// capitals. It returns "" otherwise.
func (c *C) caseNote(d *rowdiff.Diff) string {
	if !strings.Contains(d.String(), rowdiff.OtherCapitals) {
		return ""
	}
	for _, e := range c.log.Statements() {
		if m := foldsCase.FindString(e.SQL); m != "" {
			how := strings.TrimSpace(m)
			if strings.HasSuffix(how, "(") {
				how += ")" // a function: lower()
			}
			return fmt.Sprintf("Statement %d compares text without case, with %s: it matched a row whose value\n"+
				"differs from the one asked for only in its capitals, and the result holds that row's text.\n"+
				"Two values in other capitals can be two things (Wen@example.net and wen@example.net are two\n"+
				"people): compare with =, which matches the value exactly as it is stored.", e.Seq, how)
		}
	}
	return ""
}

// foldsCase matches SQL that compares text without case.
var foldsCase = regexp.MustCompile(`(?i)\bCOLLATE\s+NOCASE\b|\b(lower|upper)\s*\(|\bLIKE\b`)

// CaseTwin returns the value of table.column, in the row with the smallest
// rowid, that is value in other letters ("Wen@example.net" beside
// "wen@example.net"), or "" when the data has none: code that changes a
// value's case before it looks it up finds the twin's rows, not its own.
func (c *C) CaseTwin(table, column, value string) string {
	var twins []string
	col := sqlite.QuoteIdent(column)
	c.Query(&twins, fmt.Sprintf(`SELECT %[2]s FROM %[1]s WHERE lower(%[2]s) = lower(?) AND %[2]s != ? ORDER BY rowid LIMIT 1`,
		sqlite.QuoteIdent(table), col), value, value)
	if len(twins) == 0 {
		return ""
	}
	return twins[0]
}

// CaseFoldedOrder explains a result in alphabetical order ignoring case
// where the lesson asks for SQLite's own order of text, byte by byte
// (BINARY), which puts capitals before small letters: keys are the
// learner's values of column, in the order they came, and noun names the
// rows. It returns "" unless keys are in case-insensitive order and not in
// SQLite's.
func CaseFoldedOrder(noun, column string, keys []string) string {
	want := slices.Clone(keys)
	slices.Sort(want) // Go compares strings byte by byte, as SQLite's BINARY collation does
	folded := func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
	if slices.Equal(keys, want) || !slices.IsSortedFunc(keys, folded) {
		return ""
	}
	i := 0
	for keys[i] == want[i] {
		i++
	}
	return fmt.Sprintf("your order puts %[1]s in alphabetical order ignoring case;\n"+
		"the lesson asks for SQLite's text order, where capitals come first. ORDER BY %[2]s compares\n"+
		"the text byte by byte, so %[3]q comes before %[4]q. Order by %[2]s itself, without\n"+
		"COLLATE NOCASE, lower() or upper() (and in Go, compare the strings as they are, not with\n"+
		"strings.ToLower or strings.EqualFold).",
		noun, column, want[i], keys[i])
}
