// Package ties holds the one switch the checker turns for the unstable
// sorts of checker/unstable: whether elements a sort compares equal keep
// the order they came in (a plain run) or come in the other order (a run
// that looks for orders left open). Only packages under checker can import
// it, so a learner's code cannot turn it.
package ties

import (
	"slices"
	"sync/atomic"
)

var reversed atomic.Bool

// SetReversed says whether the unstable sorts put equal elements in the
// reverse of the order they came in from now on.
func SetReversed(on bool) { reversed.Store(on) }

// Reversed reports whether the unstable sorts put equal elements in the
// reverse of the order they came in.
func Reversed() bool { return reversed.Load() }

// Permutation returns the order in which to put n elements: positions
// 0..n-1 sorted by cmp (negative when the element at i goes before the
// one at j), and, where cmp says 0, in the order they came in, or in the
// other order when Reversed. cmp is only called with positions of the
// elements as they were; the caller moves them afterwards.
func Permutation(n int, cmp func(i, j int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rev := Reversed()
	// The comparison decides every pair (ties by position), so the
	// standard library's unstable sort gives an exact order here.
	slices.SortFunc(idx, func(i, j int) int {
		if c := cmp(i, j); c != 0 {
			return c
		}
		if rev {
			return j - i
		}
		return i - j
	})
	return idx
}

// Apply moves the elements so that position i holds the one that was at
// perm[i], with swap; perm is used up.
func Apply(perm []int, swap func(i, j int)) {
	for i := range perm {
		cur := i
		for perm[cur] != i {
			next := perm[cur]
			swap(cur, next)
			perm[cur] = cur
			cur = next
		}
		perm[cur] = cur
	}
}
