package checker

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// Impl is one implementation of an interface I that a learner's contract
// is run against: the reference, or a broken one kept in the check files.
type Impl[I any] struct {
	// Name names a broken implementation in messages
	// ("copy-back-reference").
	Name string
	// Broken says what is wrong with it, and Catch what a test must check
	// to catch it; both are shown when the contract lets it through.
	Broken, Catch string
	// New makes the implementation on a database of its own.
	New func(db *sqlx.DB) I
}

// Contract is a learner's test suite for an interface I, as [ExpectContract]
// runs it.
type Contract[I any] struct {
	// Run calls the learner's contract with t and open, adapting them to
	// the lesson's own types. open returns a new implementation on a fresh
	// copy of the check's data set, with a function that counts the
	// statements it has sent since.
	Run func(t *Probe, open func() (I, func() int))
	// Call is how messages name the contract ("Contract(t, open)").
	Call string
	// Reference is the right implementation; the contract must pass on it.
	Reference Impl[I]
	// Broken are the implementations each of which the contract must fail.
	// With none, only the run on the reference is judged.
	Broken []Impl[I]
	// Noun names an implementation in messages ("tracker").
	Noun string
}

// ExpectContract runs a learner's contract against k.Reference, where it
// must pass, and then against each of k.Broken, each of which some test of
// it must fail. Every implementation is given fresh copies of the check's
// data set, one for each call of open, and none of their statements is
// counted in the check's own.
//
// A test that fails on the reference stops the check, naming the test, its
// message and its line: the contract is wrong there, not the
// implementation. A panic anywhere stops it too, with its line. A contract
// that fails none of the broken implementations asserts nothing; one that
// fails only some fails the check with each survivor, what is wrong with
// it and what a test would have to check to catch it. The verdict's Score
// holds the killed and the total.
func ExpectContract[I any](c *C, k Contract[I]) {
	noun := k.Noun
	if noun == "" {
		noun = "implementation"
	}
	// The contract runs against the broken implementations in an order
	// drawn afresh each time, with the reference among them more than
	// once, so that a contract cannot pass by counting its runs or by
	// remembering what it saw before: only what an implementation does
	// tells it which one it has.
	order := contractOrder(len(k.Broken), rand.Perm)
	results := make([]*contractRun, len(k.Broken))
	var ref *contractRun
	refRuns := 0
	for _, i := range order {
		if i >= 0 {
			results[i] = runContract(c, k, k.Broken[i])
			continue
		}
		r := runContract(c, k, k.Reference)
		refRuns++
		if ref == nil || (ref.passed() && !r.passed()) {
			ref, r.nth = r, refRuns
		}
		if !ref.passed() {
			break
		}
	}
	if len(k.Broken) > 0 && !ref.passed() {
		// A contract that fails a right implementation tells nothing of a
		// broken one: it kills none.
		c.mu.Lock()
		c.score = &protocol.Score{Total: len(k.Broken)}
		c.mu.Unlock()
	}
	again := ""
	if ref.nth > 1 {
		again = fmt.Sprintf(" the %s time it ran there (it passed before)", ordinal(ref.nth))
	}
	switch {
	case ref.panic != "":
		c.Fatalf("%s panicked against the reference %s, which is right%s:\n%s\n"+
			"A test that panics stops every test after it. Check a length or a nil pointer with t.Fatalf\n"+
			"before you use it, so that a wrong %s fails the test instead.%s",
			k.Call, noun, again, indent(ref.panic, "  "), noun, keptBetween(ref.nth))
	case len(ref.failures) > 0:
		c.Fatalf("%s fails against the reference %s, which is right%s:\n%s\n"+
			"The contract is wrong here, not the %s: a test must pass on every right %s. Check only\n"+
			"what the interface promises: not ids (the database holds other rows, and other ones on\n"+
			"each data set), nor an order the interface leaves open.%s",
			k.Call, noun, again, ref.said(3), noun, noun, keptBetween(ref.nth))
	}
	if len(k.Broken) == 0 {
		return
	}
	score := &protocol.Score{Total: len(k.Broken)}
	var panics, survived []string
	for i, b := range k.Broken {
		r := results[i]
		switch {
		case r.panic != "":
			score.Killed++
			panics = append(panics, fmt.Sprintf("against %s (%s):\n%s", b.Name, b.Broken, indent(r.panic, "  ")))
		case len(r.failures) > 0:
			score.Killed++
		default:
			score.Survived = append(score.Survived, b.Name)
			survived = append(survived, fmt.Sprintf("%s: %s\n    To catch it, %s", b.Name, b.Broken, b.Catch))
		}
	}
	c.mu.Lock()
	c.score = score
	c.mu.Unlock()
	killed := fmt.Sprintf("%d of %d broken %ss", score.Killed, score.Total, noun)
	if len(panics) > 0 {
		c.Errorf("%s panicked against %s. A test that panics stops every test after it,\n"+
			"so the suite reports nothing else. Check a length or a nil pointer with t.Fatalf before you\n"+
			"use it:\n  %s", k.Call, protocol.Counted(len(panics), "broken "+noun), strings.Join(panics, "\n  "))
	}
	switch {
	case score.Killed == 0:
		why := "No test calls t.Errorf or t.Fatalf against any of them."
		if !ref.opened {
			why = fmt.Sprintf("It never even calls open() to get a %s.", noun)
		}
		c.Errorf("%s asserts nothing: it fails %s.\n%s\n"+
			"Start with the first steps of the plan: open a %s, create a user and two categories, add an\n"+
			"expense in each, and check what the %s promises of them with t.Errorf: that each expense's\n"+
			"User is u itself, that u.Expenses holds both, and that LoadUser gives both back.\n"+
			"The broken %ss, each explained once your contract catches any of them:\n  %s.",
			k.Call, killed, why, noun, noun, noun, strings.Join(score.Survived, ", "))
	case len(survived) > 0:
		c.Errorf("%s fails %s; %s every test it has:\n  %s",
			k.Call, killed, protocol.Counted(len(survived), "broken "+noun)+passWord(len(survived)), strings.Join(survived, "\n  "))
	}
}

// contractOrder returns the order in which a contract runs against n
// broken implementations: each index in 0..n-1 once, and -1 for the
// reference, which comes first and then again at places perm draws (one
// for every four broken implementations, at least one). The places are
// never two references in a row.
func contractOrder(n int, perm func(int) []int) []int {
	if n == 0 {
		return []int{-1}
	}
	extra := max(1, (n+3)/4)
	// Slots 0..n-1 are the broken implementations in perm's order; a
	// reference goes after extra of them, drawn by a second perm.
	broken := perm(n)
	after := map[int]bool{}
	for _, p := range perm(n)[:extra] {
		after[p] = true
	}
	order := []int{-1}
	for slot, i := range broken {
		order = append(order, i)
		if after[slot] {
			order = append(order, -1)
		}
	}
	return order
}

// ordinal spells n as "2nd", "3rd", "4th".
func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// keptBetween explains a reference that failed only on a later run: the
// contract kept something from an earlier run.
func keptBetween(nth int) string {
	if nth <= 1 {
		return ""
	}
	return "\nIt passed on the reference before, so it keeps something between runs (a package-level\n" +
		"variable, a tracker or a count from an earlier call of Contract): each run must start afresh,\n" +
		"with only what open() gives it."
}

// passWord is the verb "pass" for n subjects.
func passWord(n int) string {
	if n == 1 {
		return " passes"
	}
	return " pass"
}

// contractRun is what one run of a contract against one implementation
// recorded.
type contractRun struct {
	cfg *config

	mu       sync.Mutex
	failures []contractFailure
	panic    string // the panic, described with its line, or ""
	opened   bool   // the contract called open at least once
	nth      int    // which run against the reference this was (1: the first)
	helpers  map[string]bool
}

// contractFailure is one Errorf or Fatalf of a test.
type contractFailure struct {
	test, msg, where string
}

// passed reports whether the run recorded no failure and no panic.
func (r *contractRun) passed() bool { return r.panic == "" && len(r.failures) == 0 }

// said lists the first n failures, one paragraph each.
func (r *contractRun) said(n int) string {
	var b strings.Builder
	for i, f := range r.failures {
		if i == n {
			fmt.Fprintf(&b, "  (and %d more)\n", len(r.failures)-n)
			break
		}
		fmt.Fprintf(&b, "  test %s, at %s:\n%s\n", f.test, f.where, indent(f.msg, "      "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// runContract runs k's contract once against impl, each open on a fresh
// copy of c's database, and returns what it recorded.
func runContract[I any](c *C, k Contract[I], impl Impl[I]) *contractRun {
	dir, err := os.MkdirTemp(filepath.Dir(c.path), "contract-")
	if err != nil {
		c.ownFailure("a folder for the contract's databases", err)
	}
	defer os.RemoveAll(dir)
	var dbs []*sqlx.DB
	defer func() {
		for _, db := range dbs {
			db.Close()
		}
	}()
	run := &contractRun{cfg: c.cfg, helpers: map[string]bool{}}
	open := func() (I, func() int) {
		run.mu.Lock()
		run.opened = true
		n := len(dbs)
		run.mu.Unlock()
		path := filepath.Join(dir, fmt.Sprintf("open-%d.db", n))
		if err := c.copyTo(path); err != nil {
			c.ownFailure("a copy of the data set for open()", err)
		}
		log := &stmtlog.Log{}
		dsn := sqlite.DSN(path, sqlite.Options{ForeignKeys: !c.check.ForeignKeysOff, BusyTimeout: learnerBusyTimeout})
		db := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, learnerSetup)), "sqlite3")
		run.mu.Lock()
		dbs = append(dbs, db)
		run.mu.Unlock()
		return impl.New(db), log.Count
	}
	top := &Probe{run: run, name: "Contract"}
	top.call(func(p *Probe) { k.Run(p, open) })
	return run
}

// Probe is the testing handle [ExpectContract] gives a learner's contract,
// in place of a *testing.T: it records each test's failures with the line
// of the learner's file that reported them. A lesson adapts it to its own
// small interface (Errorf, Fatalf, Helper, Run).
type Probe struct {
	run    *contractRun
	name   string
	failed bool
}

// Name returns the test's name, its parents' first ("Contract/delete-user").
func (p *Probe) Name() string { return p.name }

// Failed reports whether the test, or one of its subtests, has failed.
func (p *Probe) Failed() bool {
	p.run.mu.Lock()
	defer p.run.mu.Unlock()
	return p.failed
}

// Helper marks the calling function as a test helper: a failure it reports
// is blamed on the line that called it, as testing.T.Helper does.
func (p *Probe) Helper() {
	pcs := make([]uintptr, 8)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if p.run.cfg.isLearnerFile(f.File) {
			p.run.mu.Lock()
			p.run.helpers[f.Function] = true
			p.run.mu.Unlock()
			return
		}
		if !more {
			return
		}
	}
}

// Errorf records a failure of the test and lets it go on.
func (p *Probe) Errorf(format string, args ...any) {
	p.record(fmt.Sprintf(format, args...))
}

// Fatalf records a failure of the test and ends it; the contract goes on
// with the next test, as testing.T.Fatalf does.
func (p *Probe) Fatalf(format string, args ...any) {
	p.record(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// Run runs f as a subtest named name, and reports whether it passed. A
// panic in f ends the whole contract, as it ends a go test program.
func (p *Probe) Run(name string, f func(t *Probe)) bool {
	sub := &Probe{run: p.run, name: p.name + "/" + name}
	sub.call(f)
	p.run.mu.Lock()
	failed, panicked := sub.failed, p.run.panic != ""
	if failed {
		p.failed = true
	}
	p.run.mu.Unlock()
	if panicked {
		runtime.Goexit()
	}
	return !failed
}

// call runs f(p) on a goroutine of its own, so that Fatalf (Goexit) ends
// only this test, and records a panic.
func (p *Probe) call(f func(*Probe)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			pcs := make([]uintptr, 64)
			n := runtime.Callers(1, pcs)
			msg := p.run.cfg.describePanic(v, pcs[:n])
			p.run.mu.Lock()
			if p.run.panic == "" {
				p.run.panic = fmt.Sprintf("in test %s: %s", p.name, msg)
			}
			p.failed = true
			p.run.mu.Unlock()
		}()
		f(p)
	}()
	<-done
}

// record keeps a failure of p with the line of the learner's file that
// reported it (the caller of a helper, for a function marked Helper).
func (p *Probe) record(msg string) {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	p.run.mu.Lock()
	defer p.run.mu.Unlock()
	where := ""
	for {
		f, more := frames.Next()
		switch {
		case p.run.helpers[f.Function]:
		case p.run.cfg.isLearnerFile(f.File):
			where = fmt.Sprintf("%s:%d", p.run.cfg.rel(f.File), f.Line)
			more = false
		case where == "" && !strings.HasPrefix(f.Function, "workbook/checker."):
			where = fmt.Sprintf("%s:%d", p.run.cfg.rel(f.File), f.Line)
		}
		if !more {
			break
		}
	}
	if where == "" {
		where = "an unknown line"
	}
	p.failed = true
	p.run.failures = append(p.run.failures, contractFailure{test: p.name, msg: msg, where: where})
}
