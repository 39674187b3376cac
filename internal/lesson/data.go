package lesson

import (
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"workbook/internal/dataset"
)

// DataDir holds the seeded databases, data/<name>.db under the root, each
// built from data/<family>/*.sql.
const DataDir = "data"

// AvailableDataSets lists the seeded databases of the workbook at root by
// name: "bank", "budget-10", ...
func AvailableDataSets(root string) []string {
	files, _ := filepath.Glob(filepath.Join(root, DataDir, "*.db"))
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(filepath.Base(f), ".db"))
	}
	sort.Strings(out)
	return out
}

// DataSetPath returns the path of the seeded database name under root.
func DataSetPath(root, name string) string {
	return filepath.Join(root, DataDir, name+".db")
}

// DataSets returns the data sets among available that the checks of l
// name, in the order their test files first name them. It reads the string
// literals of the lesson's _test.go files (never the learner's files), so a
// lesson needs to declare nothing more than its checks do.
func (l *Lesson) DataSets(available []string) ([]string, error) {
	known := map[string]bool{}
	for _, d := range available {
		known[d] = true
	}
	files, err := filepath.Glob(filepath.Join(l.Dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(f, -1, len(src)), src, nil, 0)
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING {
				continue
			}
			if v, err := strconv.Unquote(lit); err == nil && known[v] && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// OwnDataSet picks, from the data sets a lesson's checks use (as
// [Lesson.DataSets] returns them), the lesson's own: the first that is not
// a hidden variant (a name ending in "-variant"). It returns "" when there
// is none, and the others in their order.
func OwnDataSet(used []string) (own string, others []string) {
	for _, d := range used {
		if own == "" && !dataset.Hidden(d) {
			own = d
			continue
		}
		others = append(others, d)
	}
	return own, others
}
