// Package sort is the standard library's sort as a checked build of a
// learner's files sees it: the same API, with Sort and Slice putting
// elements they compare equal in the order the checker chooses (see
// workbook/checker/unstable). Everything else calls the standard library.
package sort

import (
	"reflect"
	"sort"

	"workbook/checker/internal/ties"
)

// Interface is sort.Interface.
type Interface = sort.Interface

// IntSlice is sort.IntSlice.
type IntSlice = sort.IntSlice

// Float64Slice is sort.Float64Slice.
type Float64Slice = sort.Float64Slice

// StringSlice is sort.StringSlice.
type StringSlice = sort.StringSlice

// Sort sorts data in ascending order as determined by its Less method.
// Elements Less calls equal come in the order the checker chooses.
func Sort(data Interface) {
	perm := ties.Permutation(data.Len(), func(i, j int) int { return compare(data.Less, i, j) })
	ties.Apply(perm, data.Swap)
}

// Slice sorts x, a slice, as less determines. Elements less calls equal
// come in the order the checker chooses. It panics if x is not a slice.
func Slice(x any, less func(i, j int) bool) {
	swap := reflect.Swapper(x)
	perm := ties.Permutation(reflect.ValueOf(x).Len(), func(i, j int) int { return compare(less, i, j) })
	ties.Apply(perm, swap)
}

// compare turns a less function into a three-way comparison.
func compare(less func(i, j int) bool, i, j int) int {
	switch {
	case less(i, j):
		return -1
	case less(j, i):
		return 1
	}
	return 0
}

// Stable calls sort.Stable.
func Stable(data Interface) { sort.Stable(data) }

// SliceStable calls sort.SliceStable.
func SliceStable(x any, less func(i, j int) bool) { sort.SliceStable(x, less) }

// Reverse calls sort.Reverse.
func Reverse(data Interface) Interface { return sort.Reverse(data) }

// IsSorted calls sort.IsSorted.
func IsSorted(data Interface) bool { return sort.IsSorted(data) }

// SliceIsSorted calls sort.SliceIsSorted.
func SliceIsSorted(x any, less func(i, j int) bool) bool { return sort.SliceIsSorted(x, less) }

// Ints calls sort.Ints.
func Ints(x []int) { sort.Ints(x) }

// Float64s calls sort.Float64s.
func Float64s(x []float64) { sort.Float64s(x) }

// Strings calls sort.Strings.
func Strings(x []string) { sort.Strings(x) }

// IntsAreSorted calls sort.IntsAreSorted.
func IntsAreSorted(x []int) bool { return sort.IntsAreSorted(x) }

// Float64sAreSorted calls sort.Float64sAreSorted.
func Float64sAreSorted(x []float64) bool { return sort.Float64sAreSorted(x) }

// StringsAreSorted calls sort.StringsAreSorted.
func StringsAreSorted(x []string) bool { return sort.StringsAreSorted(x) }

// Search calls sort.Search.
func Search(n int, f func(int) bool) int { return sort.Search(n, f) }

// Find calls sort.Find.
func Find(n int, cmp func(int) int) (i int, found bool) { return sort.Find(n, cmp) }

// SearchInts calls sort.SearchInts.
func SearchInts(a []int, x int) int { return sort.SearchInts(a, x) }

// SearchFloat64s calls sort.SearchFloat64s.
func SearchFloat64s(a []float64, x float64) int { return sort.SearchFloat64s(a, x) }

// SearchStrings calls sort.SearchStrings.
func SearchStrings(a []string, x string) int { return sort.SearchStrings(a, x) }
