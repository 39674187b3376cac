// Package unstable documents the checker's copies of the standard
// library's sort and slices packages, checker/unstable/sort and
// checker/unstable/slices, which a checked build of a learner's files
// imports in their place (the runner rewrites the import paths, and
// nothing else, in the copy it compiles).
//
// Both copies have the same API as the originals and call them for
// everything but the sorts that promise no order among elements they
// compare equal: sort.Sort, sort.Slice, slices.SortFunc and
// slices.SortedFunc. The originals happen to keep such elements in the
// order they came in for up to twelve elements (an insertion sort), so a
// comparison that leaves out a key gives the right order on small data
// and the wrong one on real data. The copies make that order the checker's
// choice: the order they came in on a plain run, the other order on a run
// that looks for orders left open. Both are orders the originals may give.
//
// The stable sorts (sort.Stable, sort.SliceStable, slices.SortStableFunc)
// and the sorts of ordered values (sort.Ints, sort.Strings, slices.Sort, …),
// whose equal elements are equal values, are the originals.
package unstable
