package unstable_test

import (
	"go/importer"
	"go/token"
	"go/types"
	"testing"
)

// TestSameAPI checks that each copy declares every name its original
// exports, with an identical type: a learner's file must compile against
// the copy exactly as against the original, in this Go version and the
// next.
func TestSameAPI(t *testing.T) {
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	for original, copied := range map[string]string{
		"sort":   "workbook/checker/unstable/sort",
		"slices": "workbook/checker/unstable/slices",
	} {
		want, err := imp.Import(original)
		if err != nil {
			t.Fatal(err)
		}
		got, err := imp.Import(copied)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name() != want.Name() {
			t.Errorf("%s is package %s, want %s", copied, got.Name(), want.Name())
		}
		for _, name := range want.Scope().Names() {
			w := want.Scope().Lookup(name)
			if !w.Exported() {
				continue
			}
			g := got.Scope().Lookup(name)
			switch {
			case g == nil:
				t.Errorf("%s does not declare %s.%s", copied, original, name)
			case !types.Identical(g.Type(), w.Type()):
				t.Errorf("%s.%s is %s, want %s", copied, name, g.Type(), w.Type())
			}
		}
		for _, name := range got.Scope().Names() {
			if g := got.Scope().Lookup(name); g.Exported() && want.Scope().Lookup(name) == nil {
				t.Errorf("%s declares %s, which %s does not", copied, name, original)
			}
		}
	}
}
