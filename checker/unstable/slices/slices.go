// Package slices is the standard library's slices as a checked build of
// a learner's files sees it: the same API, with SortFunc and SortedFunc
// putting elements they compare equal in the order the checker chooses
// (see workbook/checker/unstable). Everything else calls the standard
// library.
package slices

import (
	"cmp"
	"iter"
	"slices"

	"workbook/checker/internal/ties"
)

// SortFunc sorts x in ascending order as cmp determines. Elements cmp
// calls equal come in the order the checker chooses.
func SortFunc[S ~[]E, E any](x S, cmp func(a, b E) int) {
	perm := ties.Permutation(len(x), func(i, j int) int { return cmp(x[i], x[j]) })
	ties.Apply(perm, func(i, j int) { x[i], x[j] = x[j], x[i] })
}

// SortedFunc collects seq into a new slice and sorts it as SortFunc does.
func SortedFunc[E any](seq iter.Seq[E], cmp func(E, E) int) []E {
	s := slices.Collect(seq)
	SortFunc(s, cmp)
	return s
}

// All calls slices.All.
func All[Slice ~[]E, E any](s Slice) iter.Seq2[int, E] { return slices.All(s) }

// AppendSeq calls slices.AppendSeq.
func AppendSeq[Slice ~[]E, E any](s Slice, seq iter.Seq[E]) Slice { return slices.AppendSeq(s, seq) }

// Backward calls slices.Backward.
func Backward[Slice ~[]E, E any](s Slice) iter.Seq2[int, E] { return slices.Backward(s) }

// BinarySearch calls slices.BinarySearch.
func BinarySearch[S ~[]E, E cmp.Ordered](x S, target E) (int, bool) {
	return slices.BinarySearch(x, target)
}

// BinarySearchFunc calls slices.BinarySearchFunc.
func BinarySearchFunc[S ~[]E, E, T any](x S, target T, cmp func(E, T) int) (int, bool) {
	return slices.BinarySearchFunc(x, target, cmp)
}

// Chunk calls slices.Chunk.
func Chunk[Slice ~[]E, E any](s Slice, n int) iter.Seq[Slice] { return slices.Chunk(s, n) }

// Clip calls slices.Clip.
func Clip[S ~[]E, E any](s S) S { return slices.Clip(s) }

// Clone calls slices.Clone.
func Clone[S ~[]E, E any](s S) S { return slices.Clone(s) }

// Collect calls slices.Collect.
func Collect[E any](seq iter.Seq[E]) []E { return slices.Collect(seq) }

// Compact calls slices.Compact.
func Compact[S ~[]E, E comparable](s S) S { return slices.Compact(s) }

// CompactFunc calls slices.CompactFunc.
func CompactFunc[S ~[]E, E any](s S, eq func(E, E) bool) S { return slices.CompactFunc(s, eq) }

// Compare calls slices.Compare.
func Compare[S ~[]E, E cmp.Ordered](s1, s2 S) int { return slices.Compare(s1, s2) }

// CompareFunc calls slices.CompareFunc.
func CompareFunc[S1 ~[]E1, S2 ~[]E2, E1, E2 any](s1 S1, s2 S2, cmp func(E1, E2) int) int {
	return slices.CompareFunc(s1, s2, cmp)
}

// Concat calls slices.Concat.
func Concat[S ~[]E, E any](s ...S) S { return slices.Concat(s...) }

// Contains calls slices.Contains.
func Contains[S ~[]E, E comparable](s S, v E) bool { return slices.Contains(s, v) }

// ContainsFunc calls slices.ContainsFunc.
func ContainsFunc[S ~[]E, E any](s S, f func(E) bool) bool { return slices.ContainsFunc(s, f) }

// Delete calls slices.Delete.
func Delete[S ~[]E, E any](s S, i, j int) S { return slices.Delete(s, i, j) }

// DeleteFunc calls slices.DeleteFunc.
func DeleteFunc[S ~[]E, E any](s S, del func(E) bool) S { return slices.DeleteFunc(s, del) }

// Equal calls slices.Equal.
func Equal[S ~[]E, E comparable](s1, s2 S) bool { return slices.Equal(s1, s2) }

// EqualFunc calls slices.EqualFunc.
func EqualFunc[S1 ~[]E1, S2 ~[]E2, E1, E2 any](s1 S1, s2 S2, eq func(E1, E2) bool) bool {
	return slices.EqualFunc(s1, s2, eq)
}

// Grow calls slices.Grow.
func Grow[S ~[]E, E any](s S, n int) S { return slices.Grow(s, n) }

// Index calls slices.Index.
func Index[S ~[]E, E comparable](s S, v E) int { return slices.Index(s, v) }

// IndexFunc calls slices.IndexFunc.
func IndexFunc[S ~[]E, E any](s S, f func(E) bool) int { return slices.IndexFunc(s, f) }

// Insert calls slices.Insert.
func Insert[S ~[]E, E any](s S, i int, v ...E) S { return slices.Insert(s, i, v...) }

// IsSorted calls slices.IsSorted.
func IsSorted[S ~[]E, E cmp.Ordered](x S) bool { return slices.IsSorted(x) }

// IsSortedFunc calls slices.IsSortedFunc.
func IsSortedFunc[S ~[]E, E any](x S, cmp func(a, b E) int) bool { return slices.IsSortedFunc(x, cmp) }

// Max calls slices.Max.
func Max[S ~[]E, E cmp.Ordered](x S) E { return slices.Max(x) }

// MaxFunc calls slices.MaxFunc.
func MaxFunc[S ~[]E, E any](x S, cmp func(a, b E) int) E { return slices.MaxFunc(x, cmp) }

// Min calls slices.Min.
func Min[S ~[]E, E cmp.Ordered](x S) E { return slices.Min(x) }

// MinFunc calls slices.MinFunc.
func MinFunc[S ~[]E, E any](x S, cmp func(a, b E) int) E { return slices.MinFunc(x, cmp) }

// Repeat calls slices.Repeat.
func Repeat[S ~[]E, E any](x S, count int) S { return slices.Repeat(x, count) }

// Replace calls slices.Replace.
func Replace[S ~[]E, E any](s S, i, j int, v ...E) S { return slices.Replace(s, i, j, v...) }

// Reverse calls slices.Reverse.
func Reverse[S ~[]E, E any](s S) { slices.Reverse(s) }

// Sort calls slices.Sort.
func Sort[S ~[]E, E cmp.Ordered](x S) { slices.Sort(x) }

// SortStableFunc calls slices.SortStableFunc.
func SortStableFunc[S ~[]E, E any](x S, cmp func(a, b E) int) { slices.SortStableFunc(x, cmp) }

// Sorted calls slices.Sorted.
func Sorted[E cmp.Ordered](seq iter.Seq[E]) []E { return slices.Sorted(seq) }

// SortedStableFunc calls slices.SortedStableFunc.
func SortedStableFunc[E any](seq iter.Seq[E], cmp func(E, E) int) []E {
	return slices.SortedStableFunc(seq, cmp)
}

// Values calls slices.Values.
func Values[Slice ~[]E, E any](s Slice) iter.Seq[E] { return slices.Values(s) }
