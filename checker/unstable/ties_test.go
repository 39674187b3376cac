package unstable_test

import (
	stdslices "slices"
	"testing"

	"workbook/checker/internal/ties"
	"workbook/checker/unstable/slices"
	"workbook/checker/unstable/sort"
)

type item struct{ key, id int }

// byKey sorts items by key only, as a comparison that forgets a key does.
type byKey []item

func (s byKey) Len() int           { return len(s) }
func (s byKey) Less(i, j int) bool { return s[i].key < s[j].key }
func (s byKey) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// sorts are the copies' unstable sorts, each given a comparison of keys
// only.
var sorts = map[string]func([]item) []item{
	"sort.Slice": func(s []item) []item {
		sort.Slice(s, func(i, j int) bool { return s[i].key < s[j].key })
		return s
	},
	"sort.Sort": func(s []item) []item { sort.Sort(byKey(s)); return s },
	"sort.Sort(sort.Reverse)": func(s []item) []item {
		sort.Sort(sort.Reverse(byKey(s)))
		stdslices.Reverse(s) // back to ascending keys, ties turned twice
		return s
	},
	"slices.SortFunc": func(s []item) []item {
		slices.SortFunc(s, func(a, b item) int { return a.key - b.key })
		return s
	},
	"slices.SortedFunc": func(s []item) []item {
		return slices.SortedFunc(stdslices.Values(s), func(a, b item) int { return a.key - b.key })
	},
}

// items returns n items in id order whose keys repeat, shuffled so that
// no key's items are next to each other.
func items(n int) []item {
	s := make([]item, n)
	for i := range s {
		s[i] = item{key: (i * 7) % 5, id: i}
	}
	return s
}

func TestUnstableSortsTies(t *testing.T) {
	defer ties.SetReversed(false)
	for _, n := range []int{0, 1, 2, 5, 12, 13, 40, 1000} {
		for name, sortFn := range sorts {
			for _, reversed := range []bool{false, true} {
				ties.SetReversed(reversed)
				got := sortFn(items(n))
				want := items(n)
				stdslices.SortStableFunc(want, func(a, b item) int { return a.key - b.key })
				if reversed && name != "sort.Sort(sort.Reverse)" || !reversed && name == "sort.Sort(sort.Reverse)" {
					// Ties in the reverse of the order they came in.
					stdslices.SortFunc(want, func(a, b item) int {
						if a.key != b.key {
							return a.key - b.key
						}
						return b.id - a.id
					})
				}
				if !stdslices.Equal(got, want) {
					t.Errorf("%s of %d items, reversed %v:\n got %v\nwant %v", name, n, reversed, got, want)
				}
			}
		}
	}
}

// TestStableAndOrderedSortsUnchanged checks that the sorts that promise an
// order of their own keep it whichever way ties are turned.
func TestStableAndOrderedSortsUnchanged(t *testing.T) {
	defer ties.SetReversed(false)
	for _, reversed := range []bool{false, true} {
		ties.SetReversed(reversed)
		s := items(30)
		sort.SliceStable(s, func(i, j int) bool { return s[i].key < s[j].key })
		want := items(30)
		stdslices.SortStableFunc(want, func(a, b item) int { return a.key - b.key })
		if !stdslices.Equal(s, want) {
			t.Errorf("sort.SliceStable, reversed %v: got %v", reversed, s)
		}
		u := items(30)
		slices.SortStableFunc(u, func(a, b item) int { return a.key - b.key })
		if !stdslices.Equal(u, want) {
			t.Errorf("slices.SortStableFunc, reversed %v: got %v", reversed, u)
		}
		ints := []int{5, 3, 9, 3, 1}
		sort.Ints(ints)
		if !stdslices.Equal(ints, []int{1, 3, 3, 5, 9}) {
			t.Errorf("sort.Ints, reversed %v: got %v", reversed, ints)
		}
	}
}
