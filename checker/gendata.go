package checker

import (
	"fmt"
	"strconv"
	"strings"

	"workbook/internal/dataset"
)

// generatedBase is the shipped data set a generated budget set is made
// from when a check names one in its Data: any budget set holds the
// schema, and its rows are replaced.
const generatedBase = "budget"

// generatedUsers returns the number of users of data, when data names a
// generated budget set that is not shipped ("budget-40000"), and whether
// it does. A name the workbook ships (budget-1000) is the shipped file,
// and never generated. In a graded run a set that was not handed over is
// made as [config.generatedCopy] makes one, from the handed budget set.
func (cfg *config) generatedUsers(data string) (int, bool) {
	if !generatedSet.MatchString(data) {
		return 0, false
	}
	if b, err := cfg.seeds.bytes(data); err == nil && len(b) > 0 {
		return 0, false
	}
	if _, shipped := dataset.Lookup(data); shipped {
		// A shipped set (budget-10) a graded run was not handed is not
		// made up: the run has the sets it was handed.
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(data, "budget-"))
	if err != nil || n < 2 {
		return 0, false
	}
	return n, true
}

// dataCopy prepares, in dir, the database a run of check on data set data
// starts from, as [seedCache.startingCopy] does. A check's Data may name a
// budget set of any number of users, "budget-40000", which is not shipped:
// it is generated once per process (by the generator of the shipped
// budget-N sets, so user 42 is the same person at every size) and kept in
// memory, and in a graded run made once by the reference solutions' run
// and handed to every student's (see [config.generatedCopy]).
func (cfg *config) dataCopy(check Check, data, dir string) (path, rows string, err error) {
	n, ok := cfg.generatedUsers(data)
	if !ok {
		return cfg.seeds.startingCopy(check, data, dir)
	}
	if check.StartEmpty {
		return "", "", fmt.Errorf("checker: check %q starts empty, and %s is generated: a check that starts empty runs on shipped data sets only", check.Name, data)
	}
	path, err = cfg.generatedCopy(generatedBase, n, dir)
	return path, "", err
}
