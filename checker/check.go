package checker

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// Check describes a check: its name, where it runs and what it allows.
type Check struct {
	// Name is the check's name as the lesson's lesson.json declares it.
	Name string
	// Data lists the data sets the check runs on, each on a fresh copy.
	// The first is the lesson's own data; the others are variants the
	// lesson never shows, which catch answers that hard-code its rows.
	Data []string
	// Budget is how many statements the learner's code may run on each
	// data set; 0 means the check counts but sets no limit.
	Budget int
	// BudgetPer, in place of Budget, is a budget that grows with the
	// data: Base + ⌈N / Per⌉ statements, N the rows of table Of in the
	// data set the run starts from (see [PerRows]).
	BudgetPer PerRows
	// Timeout bounds the body's run on each data set. Zero means
	// DefaultTimeout; a runner's [protocol.Env.CheckTimeout] overrides
	// both.
	Timeout time.Duration
	// ForeignKeysOff opens [C.DB] without foreign key enforcement, as
	// SQLite does by default. Checks have it on unless they say otherwise.
	ForeignKeysOff bool
	// StartEmpty starts the body on an empty database instead of a copy of
	// the data set, for a lesson whose learner writes the schema. The data
	// set still runs the check: [C.LoadRows] copies its rows into the
	// learner's tables.
	StartEmpty bool
	// ChangesSchema lets the learner's code change the schema: create,
	// alter and drop tables, indexes, views and triggers, as a migration
	// does. Otherwise a run whose schema differs at the end from what the
	// data set and the check's own statements made fails, said as such. A
	// check that starts empty lets it too.
	ChangesSchema bool
	// Writes lets the learner's code change rows of the database's tables.
	// Otherwise a statement of the learner's that inserted, updated or
	// deleted rows of a table of the database fails the run: code that is
	// to read (a report, a lookup) must leave the data as it found it, and
	// a write the result does not show (UPDATE … RETURNING, a row deleted
	// once read) would pass unseen. Temporary tables are the code's own.
	// ChangesSchema and StartEmpty let it too.
	Writes bool
	// Limits lets the learner's queries take the first rows of an order
	// with LIMIT and OFFSET, for a lesson that asks for them (the three
	// largest expenses). Otherwise a query with a LIMIT of more than one
	// row, or an OFFSET, fails a check that compares a result: on small data
	// sets a LIMIT at least as large as the answer cuts nothing, and a
	// result that a larger database would cut short would pass.
	Limits bool
	// Bounds lets the learner's queries compare a column with a constant
	// (amount_cents < 100000000, expense_date >= '2000-01-01'), for a
	// lesson that states such a bound. Otherwise a query with one fails a
	// check that compares a result: a bound above every row of today's
	// data cuts nothing a check can see, and drops tomorrow's rows.
	Bounds bool
	// Plans are rules about how SQLite runs the learner's statements, such
	// as [NoScan]("expenses"): every statement shape is asked for its
	// plan, and a plan that breaks a rule fails the check.
	Plans []PlanRule
}

// DefaultTimeout bounds a check's body on one data set.
const DefaultTimeout = 5 * time.Second

// Run runs check: body once per data set, each time on a fresh copy, and
// reports the verdict to t (and to the results file, when one is set).
func Run(t *testing.T, check Check, body func(c *C)) {
	t.Helper()
	cfg, err := defaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.graded != nil {
		if why := cfg.graded.begin(check.Name, callers(), cfg.learnerFiles); why != "" {
			if err := cfg.record(protocol.Record{Event: protocol.EventRefused, Check: check.Name, Note: why}); err != nil {
				t.Fatal(err)
			}
			t.Fatalf("%s: refused: %s", check.Name, why)
		}
	}
	if err := cfg.record(protocol.Record{Event: protocol.EventStart, Check: check.Name}); err != nil {
		t.Fatal(err)
	}
	v := cfg.run(check, body)
	if err := cfg.record(protocol.Record{Event: protocol.EventVerdict, Check: check.Name, Verdict: &v}); err != nil {
		t.Fatal(err)
	}
	if v.Passed() {
		t.Logf("%s: pass, %s", check.Name, countSummary(v))
		return
	}
	for _, f := range v.Failures {
		t.Errorf("%s [%s, %s]:\n%s", check.Name, f.Data, f.Kind, f.Text())
	}
}

func countSummary(v protocol.Verdict) string {
	if v.MaxStatements > 0 {
		return fmt.Sprintf("%d of %d statements", v.Statements, v.MaxStatements)
	}
	return protocol.Counted(v.Statements, "statement")
}

// problem returns why check cannot run, or "".
func (cfg *config) problem(check Check) string {
	switch {
	case check.Name == "":
		return "checker: the check has no Name"
	case len(check.Data) == 0:
		return fmt.Sprintf("checker: check %q names no data set (Check.Data)", check.Name)
	case check.Budget < 0:
		return fmt.Sprintf("checker: check %q has a negative budget", check.Name)
	case check.BudgetPer.problem(check) != "":
		return check.BudgetPer.problem(check)
	case cfg.lesson != nil && !cfg.lesson.HasCheck(check.Name):
		return fmt.Sprintf("checker: check %q is not declared in %s (declared: %s)",
			check.Name, filepath.Join(cfg.lesson.ID(), lesson.ManifestName), checkNames(cfg.lesson))
	}
	return ""
}

func checkNames(l *lesson.Lesson) string {
	var names []string
	for _, c := range l.Checks {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}
