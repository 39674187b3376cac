package checker

import (
	"fmt"
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
	named := func(name string) []Option { return append(append([]Option(nil), opts...), Named(name)) }
	columns := map[string]int{}
	for _, ch := range changes {
		columns[ch.Column]++
	}
	run := func(what, name string) {
		got, err := f()
		c.NoError(err, what)
		c.Expect(got, named(name)...)
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
	// A result a later call rewrote fails the check where it is seen
	// (heldNote, at each Expect and at the end of the check).
}
