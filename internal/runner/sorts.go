package runner

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"

	"workbook/internal/lesson"
)

// unstableSorts maps the standard packages whose sorts promise no order
// among elements they compare equal to the checker's copies of them,
// relative to the module (see workbook/checker/unstable).
var unstableSorts = map[string]string{
	"sort":   "/checker/unstable/sort",
	"slices": "/checker/unstable/slices",
}

// ShadowSorts returns the Go source src with its imports of sort and
// slices pointing at the checker's copies in module, whose unstable sorts
// put equal elements in the order the checker chooses: the build of a
// learner's file that the checks run. Only the import paths change, so
// every line and every other column stays where the learner wrote it. It
// returns nil when src imports neither, or does not parse (the compiler
// then says why, about the learner's own file).
func ShadowSorts(src []byte, module string) []byte {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	last := 0
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		shadow, ok := unstableSorts[path]
		if !ok {
			continue
		}
		// The file set holds only this file, based at 1.
		start, end := int(imp.Path.Pos())-1, int(imp.Path.End())-1
		out.Write(src[last:start])
		out.WriteString(strconv.Quote(module + shadow))
		last = end
	}
	if last == 0 {
		return nil
	}
	out.Write(src[last:])
	return out.Bytes()
}

// shadowOverlay returns overlay with an entry for each of the lesson's
// learner's files that imports sort or slices, pointing at a copy in dir
// rewritten by ShadowSorts. A file the overlay already replaces (the
// reference solution, in workbook dev) is rewritten from its replacement.
func shadowOverlay(l *lesson.Lesson, root string, overlay map[string]string, dir string) (map[string]string, error) {
	module, err := lesson.ModulePath(root)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range overlay {
		out[k] = v
	}
	for i, path := range l.LearnerPaths() {
		from := path
		if r, ok := overlay[path]; ok {
			from = r
		}
		src, err := os.ReadFile(from)
		if err != nil {
			continue // the build says the file is missing
		}
		shadowed := ShadowSorts(src, module)
		if shadowed == nil {
			continue
		}
		copyPath := filepath.Join(dir, "shadowed-"+strconv.Itoa(i)+"-"+filepath.Base(path))
		if err := os.WriteFile(copyPath, shadowed, 0o600); err != nil {
			return nil, err
		}
		out[path] = copyPath
	}
	return out, nil
}
