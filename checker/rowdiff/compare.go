package rowdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"workbook/internal/words"
)

// Order is a comparison's row-order policy.
type Order int

const (
	// Ordered requires the rows in the expected order.
	Ordered Order = iota
	// AnyOrder accepts the expected rows in any order.
	AnyOrder
)

// String returns "ordered" or "any order".
func (o Order) String() string {
	if o == AnyOrder {
		return "any order"
	}
	return "ordered"
}

// Options control a comparison. The zero value compares in order, identifies
// rows by an ID field where every row has one, and calls them rows.
type Options struct {
	// Order is the policy for the top-level list, and for nested lists
	// that Nested does not name.
	Order Order
	// Nested sets the order policy of lists held in a field, by field name.
	Nested map[string]Order
	// Key names the field that identifies a row. By default it is "ID" or
	// "id", when every row has it; otherwise rows are matched whole.
	Key string
	// Noun names the rows in messages ("got 3 expenses, want 4"); by
	// default "row".
	Noun string
	// MaxLines bounds the lines of a difference; by default 12.
	MaxLines int
	// OrderBy gives the order a list is expected in, by the list's path:
	// "" for the top-level list, a field's name ("Expenses") for the lists
	// that field holds in each row. When a list has the right rows in the
	// wrong order, the difference names the first key that decides between
	// the first misplaced row and the row that belongs there, and the keys
	// before it, on which they tie.
	OrderBy map[string][]SortKey
	// Sent holds the ORDER BY terms of the query the rows came from, when
	// they are known: a difference that finds a key of OrderBy in the
	// other direction there says so, rather than that the key was left
	// out.
	Sent []SortKey
}

// OtherCapitals ends the line of a difference between two texts that are
// the same but for their capitals.
const OtherCapitals = "the same text in other capitals"

// Diff is a difference, as lines of text ready to show a learner.
type Diff struct {
	Lines []string
	// Undecided holds the sort keys the difference says the rows were
	// not put in order by (the id of "your order decides amount_cents but
	// not id"), first found first.
	Undecided []SortKey
}

// String returns the lines joined by newlines.
func (d *Diff) String() string { return strings.Join(d.Lines, "\n") }

// Compare compares got with want and returns nil when they are equal, or the
// difference in words. A null list equals an empty list.
func Compare(got, want any, opt Options) *Diff {
	if opt.Noun == "" {
		opt.Noun = "row"
	}
	if opt.MaxLines <= 0 {
		opt.MaxLines = 12
	}
	d := &differ{opt: opt}
	d.value("", got, want, "", opt.Order)
	if len(d.lines) == 0 {
		return nil
	}
	lines := d.lines
	if len(lines) > opt.MaxLines {
		more := len(lines) - (opt.MaxLines - 1)
		lines = append(lines[:opt.MaxLines-1:opt.MaxLines-1], fmt.Sprintf("  … and %d more lines of differences", more))
	}
	return &Diff{Lines: lines, Undecided: d.undecided}
}

// Equal reports whether got and want are equal values.
func Equal(got, want any) bool {
	return Compare(got, want, Options{}) == nil
}

type differ struct {
	opt       Options
	lines     []string
	undecided []SortKey
}

func (d *differ) add(indent, format string, args ...any) {
	d.lines = append(d.lines, indent+fmt.Sprintf(format, args...))
}

// value compares two values found at path (a field path, or "" at the top).
func (d *differ) value(path string, got, want any, indent string, order Order) {
	gl, gotList := asList(got)
	wl, wantList := asList(want)
	if gotList && wantList {
		noun := d.opt.Noun
		if path != "" {
			noun = nounFor(path)
		}
		d.list(path, gl, wl, indent, order, noun)
		return
	}
	go_, gotObj := got.(*Object)
	wo, wantObj := want.(*Object)
	if gotObj && wantObj {
		d.object(path, go_, wo, indent)
		return
	}
	if !scalarEqual(got, want) {
		name := path
		if name == "" {
			name = "the result"
		}
		if gs, ok := got.(string); ok {
			if ws, ok := want.(string); ok && strings.EqualFold(gs, ws) {
				d.add(indent, "%s is %s, want %s: %s", name, Format(got, 80), Format(want, 80), OtherCapitals)
				return
			}
		}
		d.add(indent, "%s is %s, want %s", name, Format(got, 80), Format(want, 80))
	}
}

func asList(v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case nil:
		return nil, true
	}
	return nil, false
}

func scalarEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case json.Number:
		bn, ok := b.(json.Number)
		return ok && a == bn
	case string:
		bs, ok := b.(string)
		return ok && a == bs
	case bool:
		bb, ok := b.(bool)
		return ok && a == bb
	}
	return false
}

// object compares two objects field by field.
func (d *differ) object(path string, got, want *Object, indent string) {
	for _, k := range want.Keys {
		g, ok := got.Get(k)
		p := join(path, k)
		if !ok {
			d.add(indent, "%s is missing", p)
			continue
		}
		d.value(p, g, want.Values[k], indent, d.orderOf(k))
	}
	for _, k := range got.Keys {
		if _, ok := want.Get(k); !ok {
			d.add(indent, "%s is not expected (it is %s)", join(path, k), Format(got.Values[k], 60))
		}
	}
}

func (d *differ) orderOf(field string) Order {
	if o, ok := d.opt.Nested[field]; ok {
		return o
	}
	return d.opt.Order
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// list compares two lists of rows.
func (d *differ) list(path string, got, want []any, indent string, order Order, noun string) {
	key := d.keyField(got, want)
	keyOf := func(row any) string {
		if key != "" {
			v, _ := row.(*Object).Get(key)
			return keyText(v)
		}
		return string(Marshal(row))
	}
	gotIdx, gotKeys := index(got, keyOf)
	wantIdx, wantKeys := index(want, keyOf)

	sub := &differ{opt: d.opt}
	inner := indent + "  "
	changed, lost := 0, 0 // rows changed; rows missing, unexpected or repeated
	var missing []any     // the rows of want the result lacks
	changedKeys := map[string]bool{}
	for _, k := range wantKeys {
		g, w := d.pairEqual(got, want, gotIdx[k], wantIdx[k])
		n := min(len(g), len(w))
		for i := 0; i < n; i++ {
			if sub.changedRow(got[g[i]], want[w[i]], key, inner) {
				changed++
				changedKeys[k] = true
			}
		}
		for _, wi := range w[n:] {
			sub.add(inner, "missing:    %s", Format(want[wi], 120))
			missing = append(missing, want[wi])
			lost++
		}
		if len(g) > len(w) && len(w) > 0 {
			if key != "" && !allSame(got, g) {
				// Rows that differ, under one key: it is the key that repeats.
				sub.add(inner, "duplicate:  %s %s appears %s, want %s, in rows that differ: %s", key, strings.TrimSpace(k), times(len(g)), times(len(w)),
					Format(rowsAt(got, g), 100))
			} else {
				sub.add(inner, "duplicate:  %s appears %s, want %s", Format(got[g[0]], 100), times(len(g)), times(len(w)))
			}
			lost++
		}
	}
	for _, k := range gotKeys {
		if _, ok := wantIdx[k]; ok {
			continue
		}
		lost++
		g := gotIdx[k]
		if len(g) > 1 {
			sub.add(inner, "unexpected: %s (%s)", Format(got[g[0]], 100), times(len(g)))
		} else {
			sub.add(inner, "unexpected: %s", Format(got[g[0]], 120))
		}
	}

	where := ""
	if path != "" {
		where = path + ": "
	}
	if key != "" && len(gotKeys) == 1 && len(got) > 1 && len(wantKeys) > 1 {
		// One value in every row, where want has many: the column was
		// filled from something else (another table's id, a constant).
		sub.lines = append([]string{fmt.Sprintf("%severy row has %s %s, where %d different are wanted: the column is filled from something other than the %s's own %s",
			inner, key, strings.TrimSpace(gotKeys[0]), len(wantKeys), noun, key)}, sub.lines...)
	}
	if len(sub.lines) > 0 {
		switch {
		case len(got) != len(want):
			d.add(indent, "%sgot %s, want %d:", where, count(len(got), noun), len(want))
		case lost == 0 && key != "":
			d.add(indent, "%sthe same %s (by %s), but %d of the %d differ in their other fields:", where, words.Plural(noun), key, changed, len(want))
		default:
			d.add(indent, "%sgot the right number of %s (%d), but not the right ones:", where, words.Plural(noun), len(want))
		}
		d.lines = append(d.lines, sub.lines...)
		merged := mergedWith(missing, want, changedKeys, keyOf, key)
		for _, line := range strings.Split(merged, "\n") {
			if line != "" {
				d.add(inner, "%s", line)
			}
		}
		return
	}
	if order == Ordered {
		// Every row of got equals the row of want it was paired with: a
		// row whose key is the only one of its kind in want is equal to
		// the row of got that has that key.
		alone := func(k string) bool { return len(wantIdx[k]) == 1 }
		d.orderDiff(path, where, got, want, key, keyOf, alone, indent, noun)
	}
}

// pairEqual orders the positions g (of got) and w (of want) of rows that
// share one key so that each row of want that got holds as it is, wherever
// it is among them, is paired with that row, and the rest are paired in
// the order they came: two rows of one key (a total per user and
// category, keyed by the user) are not called changed for being the other
// way round, and a row repeated from elsewhere (another course's
// enrollment of the same student) is not paired with the one wanted.
// Rows of one key are few, so trying each pair costs little.
func (d *differ) pairEqual(got, want []any, g, w []int) (gs, ws []int) {
	if len(g) < 2 || len(w) == 0 {
		return g, w
	}
	used := make([]bool, len(g))
	var restW []int
	for _, wi := range w {
		found := false
		for j, gi := range g {
			if !used[j] && d.same(got[gi], want[wi]) {
				used[j], found = true, true
				gs, ws = append(gs, gi), append(ws, wi)
				break
			}
		}
		if !found {
			restW = append(restW, wi)
		}
	}
	for j, gi := range g {
		if !used[j] {
			gs = append(gs, gi)
		}
	}
	return gs, append(ws, restW...)
}

// same reports whether got and want compare equal under d's options.
func (d *differ) same(got, want any) bool {
	sub := &differ{opt: d.opt}
	sub.value("", got, want, "", d.opt.Order)
	return len(sub.lines) == 0
}

// mergedWith explains the first missing row that shares the value of a
// field other than the key with a row the result has, but changed (changed
// holds the keys of those): two rows that a GROUP BY, a DISTINCT or a loop
// that starts a new row when that field changes made one. It returns ""
// when no missing row shares such a value. It reads want once, so that a
// result missing thousands of rows is explained as fast as one.
func mergedWith(missing []any, want []any, changed map[string]bool, keyOf func(any) string, key string) string {
	if key == "" || len(missing) == 0 || len(changed) == 0 {
		return ""
	}
	byValue := map[string]*Object{} // field and text value of a changed row, to the row
	for _, w := range want {
		o, ok := w.(*Object)
		if !ok || !changed[keyOf(w)] {
			continue
		}
		for _, f := range o.Keys {
			if v, isText := o.Values[f].(string); isText && f != key && v != "" {
				if _, seen := byValue[f+"\x00"+v]; !seen {
					byValue[f+"\x00"+v] = o
				}
			}
		}
	}
	for _, mr := range missing {
		m, ok := mr.(*Object)
		if !ok {
			continue
		}
		for _, f := range m.Keys {
			mv, isText := m.Values[f].(string)
			if f == key || !isText || mv == "" {
				continue
			}
			if o := byValue[f+"\x00"+mv]; o != nil && o != m {
				return fmt.Sprintf("%s and %s have the same %s, %s: your result holds one row where\n"+
					"there are two. Rows that share a value other than the key are still two rows: group them,\n"+
					"or start a new one, by %s, not by %s.", rowLabel(o, key), rowLabel(m, key), f, Format(mv, 40), key, f)
			}
		}
	}
	return ""
}

// nounFor names the rows of a nested list after its field: Expenses holds
// expenses, Activities activities.
func nounFor(path string) string {
	f := strings.ToLower(path[strings.LastIndex(path, ".")+1:])
	if one := words.Singular(f); one != f && len(f) > 3 {
		return one
	}
	return "row"
}

// changedRow reports a pair of rows with the same key that differ, and
// whether they did.
func (d *differ) changedRow(got, want any, key, indent string) bool {
	sub := &differ{opt: d.opt}
	sub.value("", got, want, indent+"  ", d.opt.Order)
	if len(sub.lines) == 0 {
		return false
	}
	label := rowLabel(want, key)
	if len(sub.lines) <= 3 && allFlat(sub.lines, indent+"  ") {
		parts := make([]string, len(sub.lines))
		for i, l := range sub.lines {
			parts[i] = strings.TrimPrefix(l, indent+"  ")
		}
		d.add(indent, "changed:    %s: %s", label, strings.Join(parts, "; "))
		return true
	}
	d.add(indent, "changed:    %s:", label)
	d.lines = append(d.lines, sub.lines...)
	return true
}

func allFlat(lines []string, indent string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, indent+" ") || strings.HasSuffix(l, ":") {
			return false
		}
	}
	return true
}

// orderDiff reports rows that are all there but in another order. alone
// reports whether the rows of a key are known equal (the rows matched whole,
// or the key is one row's alone), so that only rows sharing a key are
// compared again.
func (d *differ) orderDiff(path, where string, got, want []any, key string, keyOf func(any) string, alone func(string) bool, indent, noun string) {
	first := -1
	for i := range want {
		k := keyOf(want[i])
		if keyOf(got[i]) != k || key != "" && !alone(k) && Compare(got[i], want[i], d.opt) != nil {
			first = i
			break
		}
	}
	if first < 0 {
		return
	}
	d.add(indent, "%sright %s, wrong order: at position %d, %s where %s should be", where, words.Plural(noun), first+1,
		rowLabel(got[first], key), rowLabel(want[first], key))
	for _, l := range d.explainTie(path, got, want, first, key) {
		d.add(indent, "  %s", l)
	}
	if key != "" {
		d.add(indent, "  got  %s order: %s", key, keyList(got, key, first))
		d.add(indent, "  want %s order: %s", key, keyList(want, key, first))
	}
}

// keyList lists the key values of rows around position first.
func keyList(rows []any, key string, first int) string {
	const span = 10
	start := max(0, first-2)
	end := min(len(rows), start+span)
	var parts []string
	if start > 0 {
		parts = append(parts, "…")
	}
	for _, r := range rows[start:end] {
		v, _ := r.(*Object).Get(key)
		parts = append(parts, Format(v, 30))
	}
	if end < len(rows) {
		parts = append(parts, "…")
	}
	return strings.Join(parts, ", ")
}

// keyField returns the field that identifies rows, or "" to match rows whole.
func (d *differ) keyField(got, want []any) string {
	candidates := []string{d.opt.Key}
	if d.opt.Key == "" {
		candidates = []string{"ID", "id", "Id"}
	}
	for _, k := range candidates {
		if allHave(got, k) && allHave(want, k) && (len(got)+len(want) > 0) {
			return k
		}
	}
	return ""
}

func allHave(rows []any, key string) bool {
	for _, r := range rows {
		o, ok := r.(*Object)
		if !ok {
			return false
		}
		if _, ok := o.Get(key); !ok {
			return false
		}
	}
	return true
}

func index(rows []any, keyOf func(any) string) (map[string][]int, []string) {
	idx := map[string][]int{}
	var keys []string
	for i, r := range rows {
		k := keyOf(r)
		if _, seen := idx[k]; !seen {
			keys = append(keys, k)
		}
		idx[k] = append(idx[k], i)
	}
	return idx, keys
}

// nameFields are the fields that make a row recognizable in a message.
var nameFields = []string{"Name", "name", "Title", "title", "Description", "description", "Owner", "owner", "Email", "email"}

// rowLabel names a row briefly: "ID 3 (Gas)", or its formatted value when
// rows have no key.
func rowLabel(row any, key string) string {
	o, ok := row.(*Object)
	if !ok || key == "" {
		return Format(row, 80)
	}
	v, _ := o.Get(key)
	label := key + " " + Format(v, 30)
	for _, f := range nameFields {
		if s, ok := o.Values[f].(string); ok && f != key {
			return label + " (" + s + ")"
		}
	}
	return label
}

// allSame reports whether the rows of list at positions at are all equal.
func allSame(list []any, at []int) bool {
	for _, i := range at[1:] {
		if !bytes.Equal(Marshal(list[i]), Marshal(list[at[0]])) {
			return false
		}
	}
	return true
}

// rowsAt returns the rows of list at positions at.
func rowsAt(list []any, at []int) []any {
	out := make([]any, len(at))
	for j, i := range at {
		out[j] = list[i]
	}
	return out
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}
