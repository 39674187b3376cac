package checker

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"workbook/checker/stmtlog"
	"workbook/internal/lesson"
	"workbook/internal/results"
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
	// Timeout bounds the body's run on each data set. Zero means
	// DefaultTimeout; the WORKBOOK_CHECK_TIMEOUT environment variable
	// (a Go duration) overrides both.
	Timeout time.Duration
	// ForeignKeysOff opens [C.DB] without foreign key enforcement, as
	// SQLite does by default. Checks have it on unless they say otherwise.
	ForeignKeysOff bool
	// StartEmpty starts the body on an empty database instead of a copy of
	// the data set, for a lesson whose learner writes the schema. The data
	// set still runs the check: [C.LoadRows] copies its rows into the
	// learner's tables.
	StartEmpty bool
}

// DefaultTimeout bounds a check's body on one data set.
const DefaultTimeout = 5 * time.Second

// Environment variables a run reads.
const (
	// EnvUpdate, set to 1, makes [C.Expect] write expected files instead of
	// comparing with them. The workbook command sets it, with the
	// reference solution in place, for `workbook dev expected`.
	EnvUpdate = "WORKBOOK_UPDATE"
	// EnvTimeout overrides every check's Timeout.
	EnvTimeout = "WORKBOOK_CHECK_TIMEOUT"
	// EnvExplain, set to 1, keeps the whole statement log of each check in
	// its verdict (up to maxExplainLines), for `workbook run --explain`.
	EnvExplain = "WORKBOOK_EXPLAIN"
	// EnvLatency, a Go duration, makes every statement of the learner's
	// code wait that long after SQLite answers, as a database across a
	// network would (`workbook run --latency 2ms`).
	EnvLatency = "WORKBOOK_LATENCY"
)

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
			if err := cfg.record(results.Record{Event: "refused", Check: check.Name, Note: why}); err != nil {
				t.Fatal(err)
			}
			t.Fatalf("%s: refused: %s", check.Name, why)
		}
	}
	if err := cfg.record(results.Record{Event: "start", Check: check.Name}); err != nil {
		t.Fatal(err)
	}
	v := cfg.run(check, body)
	if err := cfg.record(results.Record{Event: "verdict", Check: check.Name, Verdict: &v}); err != nil {
		t.Fatal(err)
	}
	if v.Passed() {
		t.Logf("%s: pass, %s", check.Name, countSummary(v))
		return
	}
	for _, f := range v.Failures {
		t.Errorf("%s [%s, %s]:\n%s", check.Name, f.Data, f.Kind, f.Message)
	}
}

func countSummary(v results.Verdict) string {
	if v.MaxStatements > 0 {
		return fmt.Sprintf("%d of %d statements", v.Statements, v.MaxStatements)
	}
	return plural(v.Statements, "statement")
}

// config is what runs need from their surroundings.
type config struct {
	seeds       *seedCache
	root        string         // the workbook's root, for showing paths
	lessonDir   string         // where expected/ lives
	lesson      *lesson.Lesson // nil outside a lesson's folder
	resultsFile string
	graded      *gradedRun // nil outside a graded run
	update      bool
	timeout     time.Duration // overrides Check.Timeout when > 0
	explain     bool          // keep whole statement logs
	latency     time.Duration // simulated round trip per statement
	// learnerFiles are the absolute paths of the files the learner edits,
	// for finding their place in a panic's stack.
	learnerFiles []string
	// clock measures ExpectSpeed's runs; the zero clock means processClock.
	clock clock
}

// startEnv holds the variables a run reads, as they were when this package
// was initialized: before the init functions of the lesson's package (the
// learner's code) run, so that code cannot change how it is checked.
var startEnv = map[string]string{
	results.EnvFile: os.Getenv(results.EnvFile),
	EnvUpdate:       os.Getenv(EnvUpdate),
	EnvTimeout:      os.Getenv(EnvTimeout),
	EnvExplain:      os.Getenv(EnvExplain),
	EnvLatency:      os.Getenv(EnvLatency),
}

// startLatency returns the simulated latency startEnv asks for, or 0 when
// it asks for none or for something that is not one (newConfig reports
// that).
func startLatency() time.Duration {
	d, _ := parseLatency(startEnv[EnvLatency])
	return d
}

// parseLatency reads the value of EnvLatency: empty for none, or a positive
// Go duration.
func parseLatency(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("checker: %s=%q is not a positive duration such as 2ms", EnvLatency, s)
	}
	return d, nil
}

var (
	defaultOnce sync.Once
	defaultCfg  *config
	defaultErr  error
)

// defaultConfig reads the surroundings of a check run by go test: the
// lesson's folder is the working directory. A graded run takes them from
// what the grader handed over instead.
func defaultConfig() (*config, error) {
	defaultOnce.Do(func() {
		switch {
		case gradedErr != nil:
			defaultErr = gradedErr
		case graded != nil:
			defaultCfg = graded.config()
		default:
			defaultCfg, defaultErr = newConfig(".")
		}
	})
	return defaultCfg, defaultErr
}

func newConfig(dir string) (*config, error) {
	dataDir, err := findDataDir(dir)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	cfg := &config{
		seeds:       newSeedCache(dataDir),
		root:        filepath.Dir(dataDir),
		lessonDir:   abs,
		resultsFile: startEnv[results.EnvFile],
		update:      startEnv[EnvUpdate] == "1",
		explain:     startEnv[EnvExplain] == "1",
	}
	if cfg.latency, err = parseLatency(startEnv[EnvLatency]); err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.layout().ManifestPath()); err == nil {
		if cfg.lesson, err = lesson.Load(abs); err != nil {
			return nil, err
		}
		for _, f := range cfg.lesson.Files {
			cfg.learnerFiles = append(cfg.learnerFiles, cfg.lesson.LearnerPath(f))
		}
	}
	if s := startEnv[EnvTimeout]; s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("checker: %s=%q is not a positive duration such as 5s", EnvTimeout, s)
		}
		cfg.timeout = d
	}
	return cfg, nil
}

// run runs check and returns its verdict. It never panics and never waits
// longer than the timeout per data set.
func (cfg *config) run(check Check, body func(*C)) results.Verdict {
	began := time.Now()
	v := results.Verdict{
		Check:         check.Name,
		Data:          check.Data,
		MaxStatements: check.Budget,
		Output:        results.PartPass,
		Budget:        results.PartNotJudged,
	}
	if msg := cfg.problem(check); msg != "" {
		v.Status, v.Output = results.StatusBroken, results.PartNotJudged
		v.Failures = []results.Failure{{Kind: results.KindBroken, Message: msg}}
		return v
	}
	budgetPassed := false
	for i, data := range check.Data {
		r := cfg.runData(check, data, body)
		if i > 0 && len(r.failures) > 0 && len(v.Failures) == 0 {
			for j := range r.failures {
				r.failures[j].Message = variantNote(data) + r.failures[j].Message
			}
		}
		v.Failures = append(v.Failures, r.failures...)
		v.Statements = max(v.Statements, r.count)
		// Keep the log of the lesson's own data, unless another data set
		// is the first to break the budget.
		if i == 0 || (r.budget == results.PartFail && v.Budget != results.PartFail) {
			v.Log, v.LogData, v.LogDropped = r.log, data, r.dropped
			v.DBTime, v.Waited = results.Duration(r.inside), results.Duration(r.waited)
		}
		switch r.budget {
		case results.PartFail:
			v.Budget = results.PartFail
		case results.PartPass:
			budgetPassed = true
		}
		if r.timedOut {
			// Code that hung once will hang again: do not wait for it on
			// every data set while its goroutine still runs.
			break
		}
	}
	if budgetPassed && v.Budget != results.PartFail {
		v.Budget = results.PartPass
	}
	v.Status = results.StatusPass
	for _, f := range v.Failures {
		if f.Kind != results.KindBudget {
			v.Output = results.PartFail
		}
		v.Status = worse(v.Status, statusOf(f.Kind))
	}
	v.Elapsed = results.Duration(time.Since(began))
	return v
}

func variantNote(data string) string {
	return fmt.Sprintf("(This passed on the lesson's data but not on %s, a data set with other rows that the lesson never shows: does your code depend on ids, names or values it read in the lesson?)\n", data)
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

var statusRank = map[results.Status]int{
	results.StatusPass: 0, results.StatusFail: 1, results.StatusError: 2,
	results.StatusTimeout: 3, results.StatusPanic: 4, results.StatusBroken: 5,
}

func worse(a, b results.Status) results.Status {
	if statusRank[b] > statusRank[a] {
		return b
	}
	return a
}

func statusOf(kind string) results.Status {
	switch kind {
	case results.KindPanic:
		return results.StatusPanic
	case results.KindTimeout:
		return results.StatusTimeout
	case results.KindError:
		return results.StatusError
	case results.KindBroken:
		return results.StatusBroken
	}
	return results.StatusFail
}

// dataResult is the outcome of a check on one data set.
type dataResult struct {
	timedOut bool
	failures []results.Failure
	count    int
	budget   results.Part
	log      []results.Statement
	dropped  int
	inside   time.Duration // in SQLite
	waited   time.Duration // simulated round trips
}

// runData runs body on a fresh copy of data set data.
func (cfg *config) runData(check Check, data string, body func(*C)) dataResult {
	broken := func(err error) dataResult {
		return dataResult{
			failures: []results.Failure{{Data: data, Kind: results.KindBroken, Message: err.Error()}},
			budget:   results.PartNotJudged,
		}
	}
	scratch := scratchDir()
	if cfg.graded != nil && cfg.graded.scratch != "" {
		scratch = cfg.graded.scratch
	}
	dir, err := os.MkdirTemp(scratch, "workbook-check-")
	if err != nil {
		return broken(fmt.Errorf("checker: %w", err))
	}
	defer os.RemoveAll(dir)
	path, rows, err := cfg.seeds.startingCopy(check, data, dir)
	if err != nil {
		return broken(err)
	}
	c := &C{cfg: cfg, check: check, data: data, path: path, rows: rows, log: new(stmtlog.Log)}
	copies.add(path, c.log)
	defer copies.remove(path)

	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if c.returned {
				return
			}
			p := recover()
			switch {
			case p != nil:
				pcs := make([]uintptr, 64)
				n := runtime.Callers(1, pcs)
				c.fail(results.KindPanic, cfg.describePanic(p, pcs[:n]))
			case !c.stoppedByCheck():
				// Neither a return, nor a panic, nor the check's own stop:
				// the learner's code ended the goroutine itself.
				c.fail(results.KindPanic, "Your code ended the check's goroutine without returning (runtime.Goexit, or\n"+
					"panic(nil) with GODEBUG=panicnil=1), so nothing it should have returned was checked.")
			}
		}()
		body(c)
		c.returned = true
	}()

	timeout := check.Timeout
	if cfg.timeout > 0 {
		timeout = cfg.timeout
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// A simulated latency slows code by a round trip per statement: allow
	// for 2,000 of them, so that 1 + N statements on 1,000 rows are slow,
	// as they would be, rather than stopped.
	timeout += 2000 * cfg.latency
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	timedOut := false
	select {
	case <-done:
		c.close()
	case <-timer.C:
		timedOut = true
		c.fail(results.KindTimeout, fmt.Sprintf(
			"Your code did not return within %s on %s, so the check stopped waiting for it.\n"+
				"Look for a loop that never ends, rows that are never closed while another statement waits,\n"+
				"or a transaction left open. %d statements ran before it was stopped.",
			timeout, data, c.log.Count()))
	}

	failures := c.stop()
	r := dataResult{timedOut: timedOut, failures: failures, count: c.log.Count(), budget: results.PartNotJudged, dropped: c.log.Dropped()}
	r.inside, r.waited = c.log.Time()
	entries := c.log.Entries()
	r.log = toStatements(entries, cfg.maxLog())

	judgeBudget := !timedOut
	for _, f := range failures {
		if f.Kind == results.KindPanic || f.Kind == results.KindError || f.Kind == results.KindBroken {
			judgeBudget = false
		}
	}
	if judgeBudget && check.Budget > 0 {
		if r.count > check.Budget {
			r.budget = results.PartFail
			outputOK := len(failures) == 0
			r.failures = append(r.failures, results.Failure{
				Data: data, Kind: results.KindBudget,
				Message: explainBudget(entries, r.count, check.Budget, outputOK, c.log.Dropped()) + c.budgetNotes(),
			})
		} else {
			r.budget = results.PartPass
		}
	}
	return r
}

// maxLogLines bounds the statement log kept in a verdict; maxExplainLines
// bounds it when the learner asked to see every statement.
const (
	maxLogLines     = 400
	maxExplainLines = 5000
)

func (cfg *config) maxLog() int {
	if cfg.explain {
		return maxExplainLines
	}
	return maxLogLines
}

// toStatements converts entries for a verdict: all of them, or when there
// are more than max, the first three quarters of max and the last quarter.
func toStatements(entries []stmtlog.Entry, max int) []results.Statement {
	keep := entries
	if len(keep) > max {
		keep = append(append([]stmtlog.Entry(nil), entries[:max*3/4]...), entries[len(entries)-max/4:]...)
	}
	out := make([]results.Statement, len(keep))
	for i, e := range keep {
		out[i] = results.Statement{Seq: e.Seq, Kind: e.Kind.String(), Line: e.Line(),
			Micros: e.Duration.Microseconds(), WaitMicros: e.Wait.Microseconds()}
	}
	return out
}

// describePanic explains a panic: its value, and where in the learner's code
// it happened.
func (cfg *config) describePanic(p any, pcs []uintptr) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Your code panicked: %v\n", p)
	frames := runtime.CallersFrames(pcs)
	var site, learner *runtime.Frame
	afterPanic := false
	for {
		f, more := frames.Next()
		fn := f.Function
		switch {
		case strings.HasPrefix(fn, "runtime.gopanic") || strings.HasPrefix(fn, "runtime.panic") || strings.HasPrefix(fn, "runtime.sigpanic"):
			afterPanic = true
		case afterPanic && !strings.HasPrefix(fn, "runtime."):
			ff := f
			if site == nil {
				site = &ff
			}
			if learner == nil && cfg.isLearnerFile(f.File) {
				learner = &ff
			}
		}
		if !more || learner != nil {
			break
		}
	}
	switch {
	case learner != nil && site != nil && site.File != learner.File:
		fmt.Fprintf(&b, "  in %s (%s:%d)\n  called from your code at %s:%d (%s)",
			site.Function, cfg.rel(site.File), site.Line, cfg.rel(learner.File), learner.Line, shortFunc(learner.Function))
	case learner != nil:
		fmt.Fprintf(&b, "  at %s:%d (%s)", cfg.rel(learner.File), learner.Line, shortFunc(learner.Function))
	case site != nil:
		fmt.Fprintf(&b, "  at %s:%d (%s)", cfg.rel(site.File), site.Line, shortFunc(site.Function))
	}
	return b.String()
}

// isLearnerFile reports whether file is one the learner edits.
func (cfg *config) isLearnerFile(file string) bool {
	for _, f := range cfg.learnerFiles {
		if filepath.Clean(file) == f {
			return true
		}
	}
	return false
}

// rel shows path relative to the workbook's root when it is inside it.
func (cfg *config) rel(path string) string {
	if cfg.graded != nil {
		path = cfg.graded.inLesson(path)
	}
	if r, err := filepath.Rel(cfg.root, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
