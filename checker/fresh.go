package checker

import (
	"bytes"
	"fmt"

	"workbook/checker/rowdiff"
	"workbook/internal/protocol"
)

// A FreshChange is one change [C.ExpectFresh] makes to the data between two
// calls of the learner's code: two rows of Table swap their Column, as
// [C.Swap] does, rows that differ in each column of Apart too.
type FreshChange struct {
	Table, Column string
	Apart         []string
	// Of, when set, is an SQL condition on table's columns that the first
	// of the two rows meets ("user_id = 1"): a change that reaches the
	// result a check asks for, not only the whole table's.
	Of string
	// Args are the arguments of Of's ? placeholders.
	Args []any
}

// Swapped returns the change that swaps two rows' column of table.
func Swapped(table, column string, apart ...string) FreshChange {
	return FreshChange{Table: table, Column: column, Apart: apart}
}

// ExpectFresh checks that the learner's code reads the data again each
// call, whatever it keys a cache on, and builds each result afresh. It
// calls f (the learner's call, written as call for messages) and compares
// its result with [C.Expect], Named "before"; then, for each change in
// turn, makes that change alone and calls f again, compared Named
// "after-<column>" (the column, with the table in front when two changes
// swap columns of one name). A change to one column only shows a result
// kept under any key that leaves that column out: a fingerprint of the
// amounts misses a changed description, a count misses everything.
//
// Last, every result f returned is compared with what it was when f
// returned it: one that changed since was rewritten by a later call, which
// shares memory with it (a package-level slice or map that each call fills
// again).
func (c *C) ExpectFresh(call string, f func() (any, error), opts []Option, changes ...FreshChange) {
	type held struct {
		call  string
		value any
		then  []byte
	}
	var results []held
	named := func(name string) []Option { return append(append([]Option(nil), opts...), Named(name)) }
	columns := map[string]int{}
	for _, ch := range changes {
		columns[ch.Column]++
	}
	run := func(what, name string) {
		got, err := f()
		c.NoError(err, what)
		c.Expect(got, named(name)...)
		if v, err := rowdiff.FromGo(got); err == nil {
			results = append(results, held{call: what, value: got, then: rowdiff.Marshal(v)})
		}
	}
	run(call, "before")
	for _, ch := range changes {
		a, b := c.swap(ch.Table, ch.Column, ch.Of, ch.Args, ch.Apart)
		name := "after-" + ch.Column
		if columns[ch.Column] > 1 {
			name = "after-" + ch.Table + "-" + ch.Column
		}
		run(fmt.Sprintf("%s, called again after %s %d and %d swapped their %s", call, ch.Table, a, b, ch.Column), name)
	}
	o := compareOptions{}
	for _, opt := range opts {
		opt.apply(&o)
	}
	for i, r := range results {
		now, err := rowdiff.FromGo(r.value)
		if err != nil {
			continue
		}
		if bytes.Equal(rowdiff.Marshal(now), r.then) {
			continue
		}
		then, err := rowdiff.Parse(r.then)
		if err != nil {
			continue
		}
		d := rowdiff.Compare(now, then, o.diff)
		if d == nil {
			continue
		}
		c.fail(protocol.KindResult, fmt.Sprintf("What %s returned changed after it returned (result %d of %d).\n"+
			"At the end of the check, against what it was when it returned:\n%s\n"+
			"A later call rewrote it: the results share memory, a package-level slice, array or map that\n"+
			"each call fills again, so whoever holds an earlier report sees it change under them. Build\n"+
			"each call's result in variables of its own (a new slice: make, or append to nil).",
			r.call, i+1, len(results), indent(d.String(), "  ")))
		return
	}
}
