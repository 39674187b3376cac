package rowdiff

import (
	"fmt"
	"slices"
	"strings"
)

// SortKey is one term of the order a list of rows is expected in, as the
// lesson states it in SQL: "amount_cents DESC", "e.id". It names a field of
// the rows by that column: a table qualifier ("e.") is dropped, and the rest
// matches the field whose name is the same but for case and underscores
// (amount_cents is AmountCents).
type SortKey struct {
	// Term is the column as messages show it: "amount_cents", "e.id".
	Term string
	// Desc is set for a descending term.
	Desc bool
	// FoldsCase is set on a term of the learner's ORDER BY that compares
	// letters without their case (COLLATE NOCASE, lower(x), upper(x)).
	FoldsCase bool
}

// ParseSortKey reads a term as an ORDER BY holds it: a column, then
// optionally ASC or DESC.
func ParseSortKey(term string) SortKey {
	f := strings.Fields(term)
	if len(f) == 0 {
		return SortKey{}
	}
	k := SortKey{Term: f[0]}
	if len(f) > 1 && strings.EqualFold(f[len(f)-1], "DESC") {
		k.Desc = true
	}
	return k
}

// field returns the field of row that k names, or "".
func (k SortKey) field(row *Object) string {
	want := normalName(k.Term[strings.LastIndex(k.Term, ".")+1:])
	for _, f := range row.Keys {
		if normalName(f) == want {
			return f
		}
	}
	return ""
}

func normalName(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// HasOrderedList reports whether comparing v under opt compares the order of
// a list of two or more rows: the top-level list, or one held in a field.
func HasOrderedList(v any, opt Options) bool {
	d := &differ{opt: opt}
	return d.hasOrdered(v, opt.Order)
}

func (d *differ) hasOrdered(v any, order Order) bool {
	switch v := v.(type) {
	case []any:
		if order == Ordered && len(v) > 1 {
			return true
		}
		for _, e := range v {
			if d.hasOrdered(e, d.opt.Order) {
				return true
			}
		}
	case *Object:
		for _, k := range v.Keys {
			if d.hasOrdered(v.Values[k], d.orderOf(k)) {
				return true
			}
		}
	}
	return false
}

// explainTie says which sort key decides between got[first] and
// want[first], two rows of a list (at path, "" for the top level) that holds
// the right rows in the wrong order, by the keys Options.OrderBy gives for
// it. It returns no lines when it cannot tell.
func (d *differ) explainTie(path string, got, want []any, first int, key string) []string {
	keys := d.opt.OrderBy[path]
	a, okA := want[first].(*Object) // the row that belongs here
	b, okB := got[first].(*Object)  // the row the learner put here
	if len(keys) == 0 || !okA || !okB {
		return nil
	}
	var outer []string // the keys of the rows that hold this list
	if path != "" {
		for _, k := range d.opt.OrderBy[""] {
			outer = append(outer, k.Term)
		}
	}
	decided := -1
	var ties []string
	for i, k := range keys {
		f := k.field(a)
		if f == "" || k.field(b) != f {
			return nil
		}
		va, vb := a.Values[f], b.Values[f]
		if string(Marshal(va)) != string(Marshal(vb)) {
			decided = i
			break
		}
		ties = append(ties, fmt.Sprintf("%s %s", k.Term, Format(va, 40)))
	}
	if decided < 0 {
		return nil
	}
	k := keys[decided]
	dir := "ascending"
	if k.Desc {
		dir = "descending"
	}
	la, lb := rowLabel(a, key), rowLabel(b, key)
	f := k.field(a)
	both := "both have " + strings.Join(ties, " and ")
	if decided == 0 {
		if path == "" && f == key {
			return []string{fmt.Sprintf("the order is %s: %s %s puts %s before %s", terms(keys), k.Term, dir, la, lb)}
		}
		if path == "" {
			return []string{
				fmt.Sprintf("the order is %s: %s %s puts %s, with %s, before %s, with %s",
					terms(keys), k.Term, dir, la, Format(a.Values[f], 40), lb, Format(b.Values[f], 40)),
			}
		}
		both = "belong to the same " + d.opt.Noun
	}
	d.undecided = append(d.undecided, k)
	decidedBy := append(outer, termsOf(keys[:decided])...)
	lead := "your order does not decide " + k.Term
	switch {
	case slices.Contains(outer, k.Term):
		// The parent rows are ordered by a column of the same name as
		// this list's ("id" and "id"): say which list in words.
		lead = fmt.Sprintf("within each %s, your order of %s does not decide %s", d.opt.Noun, path, k.Term)
		if decided > 0 {
			lead = fmt.Sprintf("within each %s, your order of %s decides %s but not %s", d.opt.Noun, path, strings.Join(termsOf(keys[:decided]), ", "), k.Term)
		}
	case len(decidedBy) > 0:
		lead = fmt.Sprintf("your order decides %s but not %s", strings.Join(decidedBy, ", "), k.Term)
	}
	caseNote := caseOrder(a.Values[f], b.Values[f], k.Desc)
	if s, ok := d.sentFolding(k); ok && caseNote != "" {
		lead = fmt.Sprintf("your ORDER BY compares %s without case, and the order asked for is %s as stored, case and all", s.Term, k.Term)
		caseNote = ""
	} else if s, ok := d.sent(k); ok && s.Desc != k.Desc {
		lead = fmt.Sprintf("your ORDER BY has %s %s, and the order asked for is %s %s", s.Term, direction(s.Desc), k.Term, dir)
	} else if extra, ok := d.sentBefore(k, keys[:decided]); ok {
		lead = fmt.Sprintf("your ORDER BY puts %s before %s, and the order asked for is %s", extra.Term, k.Term, terms(keys))
	} else if other, ok := d.sentInstead(k, append(outerKeys(d.opt.OrderBy[""], path), keys[:decided]...)); ok && len(decidedBy) > 0 {
		lead = fmt.Sprintf("your ORDER BY breaks the tie on %s with %s, and the order asked for breaks it with %s",
			strings.Join(decidedBy, ", "), other.Term, k.Term)
	}
	lines := []string{
		lead + ":",
		fmt.Sprintf("  %s and %s %s; %s %s puts %s first", lb, la, both, k.Term, dir, la),
	}
	if caseNote != "" {
		lines = append(lines, "  "+caseNote)
	}
	return lines
}

// ByteOrder begins the line of a difference between two texts that SQLite
// and a comparison without case put in opposite orders.
const ByteOrder = "SQLite compares text byte by byte"

// caseOrder explains, when va and vb are strings that SQLite's BINARY
// collation and a comparison without case put in opposite orders, why
// the expected order has va first: "" otherwise.
func caseOrder(va, vb any, desc bool) string {
	sa, okA := va.(string)
	sb, okB := vb.(string)
	if !okA || !okB {
		return ""
	}
	binary := strings.Compare(sa, sb)
	folded := strings.Compare(strings.ToLower(sa), strings.ToLower(sb))
	if binary == 0 || folded == binary {
		return ""
	}
	first, second := sa, sb
	if desc {
		first, second = sb, sa
	}
	return fmt.Sprintf(ByteOrder+" (the BINARY collation), so every capital letter sorts before every small one: %q before %q; COLLATE NOCASE or lower() in SQL, strings.ToLower or strings.EqualFold in Go, sort them the other way", first, second)
}

// sentFolding returns the term of the learner's ORDER BY that compares
// without case and stands for k: the one on k's column, or else one on a
// column that none of the expected keys names (c.name for category).
func (d *differ) sentFolding(k SortKey) (SortKey, bool) {
	if s, ok := d.sent(k); ok {
		return s, s.FoldsCase
	}
	for _, s := range d.opt.Sent {
		if s.FoldsCase && !d.expectedKey(s) {
			return s, true
		}
	}
	return SortKey{}, false
}

// expectedKey reports whether s names the column of a key of
// Options.OrderBy.
func (d *differ) expectedKey(s SortKey) bool {
	sq, sn := splitTerm(s.Term)
	for _, keys := range d.opt.OrderBy {
		for _, k := range keys {
			kq, kn := splitTerm(k.Term)
			if sn == kn && (sq == "" || kq == "" || sq == kq) {
				return true
			}
		}
	}
	return false
}

func termsOf(keys []SortKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Term
	}
	return out
}

// terms writes keys as an ORDER BY would: "amount_cents DESC, id".
func terms(keys []SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Term
		if k.Desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

// sent returns the term of Options.Sent on the column k names, if any.
// Two terms name the same column when their names match and, where both
// have a table qualifier, so do those.
func (d *differ) sent(k SortKey) (SortKey, bool) {
	kq, kn := splitTerm(k.Term)
	for _, s := range d.opt.Sent {
		sq, sn := splitTerm(s.Term)
		if sn == kn && (sq == "" || kq == "" || sq == kq) {
			return s, true
		}
	}
	return SortKey{}, false
}

// sentBefore returns the first term of the learner's ORDER BY, before
// the one that matches k, that is none of the keys before it (decided):
// a key of the learner's own, which decides what k should have.
func (d *differ) sentBefore(k SortKey, decided []SortKey) (SortKey, bool) {
	if _, ok := d.sent(k); !ok {
		return SortKey{}, false
	}
	kq, kn := splitTerm(k.Term)
	for _, s := range d.opt.Sent {
		sq, sn := splitTerm(s.Term)
		if sn == kn && (sq == "" || kq == "" || sq == kq) {
			return SortKey{}, false
		}
		known := false
		for _, e := range decided {
			eq, en := splitTerm(e.Term)
			known = known || (sn == en && (sq == "" || eq == "" || sq == eq))
		}
		if !known {
			return s, true
		}
	}
	return SortKey{}, false
}

// sentInstead returns the term of the learner's ORDER BY in the place of
// k, after as many terms as the keys decided before it, when it is not on
// k's column and no term is: a tie-break of the learner's own (c.id,
// e.enrolled_at) where the lesson asks for another (c.name, s.id).
func (d *differ) sentInstead(k SortKey, decided []SortKey) (SortKey, bool) {
	if _, ok := d.sent(k); ok || len(decided) >= len(d.opt.Sent) {
		return SortKey{}, false
	}
	return d.opt.Sent[len(decided)], true
}

// outerKeys returns the keys of the rows that hold the list at path: none
// for the top level.
func outerKeys(top []SortKey, path string) []SortKey {
	if path == "" {
		return nil
	}
	return top
}

// splitTerm returns a term's table qualifier and column, normalized.
func splitTerm(term string) (qualifier, column string) {
	i := strings.LastIndex(term, ".")
	if i < 0 {
		return "", normalName(term)
	}
	return strings.ToLower(term[:i]), normalName(term[i+1:])
}

func direction(desc bool) string {
	if desc {
		return "descending"
	}
	return "ascending"
}
