package checker

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

// people is a small interface for the tests of ExpectContract: add a user,
// count the users.
type people interface {
	Add(email string) error
	Count() (int, error)
}

type rightPeople struct{ db *sqlx.DB }

func (p rightPeople) Add(email string) error {
	_, err := p.db.Exec(`INSERT INTO users (email, name) VALUES (?, 'P')`, email)
	return err
}

func (p rightPeople) Count() (int, error) {
	var n int
	err := p.db.Get(&n, `SELECT count(*) FROM users`)
	return n, err
}

// twice adds each user twice (the second with another email); forgetful
// never adds.
type twice struct{ rightPeople }

func (p twice) Add(email string) error {
	if err := p.rightPeople.Add(email); err != nil {
		return err
	}
	return p.rightPeople.Add("again." + email)
}

type forgetful struct{ rightPeople }

func (forgetful) Add(string) error { return nil }

// peopleT is the checks' own small testing interface, as a lesson declares.
type peopleContract func(t *Probe, open func() (people, func() int))

// countGrows checks that Add adds one user, and that Count sends one
// statement; with strict, that Count is exact.
func countGrows(strict bool) peopleContract {
	return func(t *Probe, open func() (people, func() int)) {
		t.Run("add", func(t *Probe) {
			p, sent := open()
			before, err := p.Count()
			if err != nil {
				t.Fatalf("Count: %v", err)
			}
			if err := p.Add("new@contract.test"); err != nil {
				t.Fatalf("Add: %v", err)
			}
			at := sent()
			after, _ := p.Count()
			if n := sent() - at; n != 1 {
				t.Errorf("Count sent %d statements, want 1", n)
			}
			if after != before+1 {
				expectGrowth(t, before, after)
			}
			if strict && before != 6 { // the budget data set's six users
				t.Errorf("Count gave %d before adding, want 6", before)
			}
		})
	}
}

// countRuns is a contract that asserts nothing of a roster and fails
// every run but its first, as one would that expects the reference first
// and the broken ones after it: each check gets a counter of its own.
func countRuns() peopleContract {
	runs := 0
	return func(t *Probe, open func() (people, func() int)) {
		runs++
		open()
		if runs > 1 {
			t.Errorf("not the first run")
		}
	}
}

// expectGrowth is a helper: its failure is blamed on its caller's line.
func expectGrowth(t *Probe, before, after int) {
	t.Helper()
	t.Errorf("Count went from %d to %d after Add, want one more", before, after)
}

func peopleImpls() (Impl[people], []Impl[people]) {
	ref := Impl[people]{Name: "reference", New: func(db *sqlx.DB) people { return rightPeople{db} }}
	broken := []Impl[people]{
		{Name: "adds-twice", Broken: "Add adds two users.", Catch: "check Count grows by exactly one.",
			New: func(db *sqlx.DB) people { return twice{rightPeople{db}} }},
		{Name: "forgetful", Broken: "Add adds nothing.", Catch: "check Count grows by one after Add.",
			New: func(db *sqlx.DB) people { return forgetful{rightPeople{db}} }},
	}
	return ref, broken
}

func runPeople(t *testing.T, contract peopleContract, withBroken bool) protocol.Verdict {
	t.Helper()
	cfg := testConfig(t)
	self, err := filepath.Abs("contract_test.go")
	if err != nil {
		t.Fatal(err)
	}
	cfg.learnerFiles = []string{self}
	ref, broken := peopleImpls()
	if !withBroken {
		broken = nil
	}
	return cfg.run(Check{Name: "contract", Data: []string{"budget", "budget-variant"}}, func(c *C) {
		ExpectContract(c, Contract[people]{Run: contract, Call: "Contract(t, open)", Reference: ref, Broken: broken, Noun: "roster"})
	})
}

// TestContract: a contract is judged by the reference it passes and the
// broken implementations it fails, and the verdict carries the score.
func TestContract(t *testing.T) {
	tests := []struct {
		name       string
		contract   peopleContract
		status     protocol.Status
		killed     int // -1: no score
		messages   []string
		notMessage string
	}{
		{name: "kills every broken one", contract: countGrows(false), status: protocol.StatusPass, killed: 2,
			notMessage: "Contract"},
		{name: "asserts nothing", contract: func(t *Probe, open func() (people, func() int)) {
			p, _ := open()
			p.Add("x@contract.test")
		}, status: protocol.StatusFail, killed: 0,
			messages: []string{"Contract(t, open) asserts nothing: it fails 0 of 2 broken rosters.", "adds-twice, forgetful"}},
		{name: "never opens", contract: func(*Probe, func() (people, func() int)) {}, status: protocol.StatusFail, killed: 0,
			messages: []string{"It never even calls open() to get a roster."}},
		{name: "a survivor", contract: func(t *Probe, open func() (people, func() int)) {
			p, _ := open()
			before, _ := p.Count()
			p.Add("y@contract.test")
			if after, _ := p.Count(); after == before {
				t.Errorf("Add added nothing")
			}
		}, status: protocol.StatusFail, killed: 1,
			messages: []string{"fails 1 of 2 broken rosters; 1 broken roster passes every test it has:", "adds-twice: Add adds two users.\n    To catch it, check Count grows by exactly one."}},
		{name: "fails on the reference", contract: countGrows(true), status: protocol.StatusFail, killed: 0,
			messages: []string{"fails against the reference roster, which is right:", "test Contract/add, at checker/contract_test.go:", "Count gave 8 before adding, want 6"}},
		{name: "panics", contract: func(t *Probe, open func() (people, func() int)) {
			t.Run("index", func(t *Probe) {
				var xs []int
				_ = xs[len(fmt.Sprint(t.Name()))]
			})
		}, status: protocol.StatusFail, killed: 0,
			messages: []string{"panicked against the reference roster", "in test Contract/index:", "at checker/contract_test.go:"}},
		{name: "counts its runs", contract: countRuns(), status: protocol.StatusFail, killed: 0,
			messages: []string{"fails against the reference roster, which is right the 2nd time it ran there (it passed before):", "keeps something between runs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := runPeople(t, tt.contract, true)
			if v.Status != tt.status {
				t.Fatalf("status %s, want %s:\n%s", v.Status, tt.status, describe(v))
			}
			if v.Score == nil || v.Score.Killed != tt.killed || v.Score.Total != 2 {
				t.Errorf("score %+v, want %d of 2", v.Score, tt.killed)
			}
			text := describe(v)
			for _, m := range tt.messages {
				if !strings.Contains(text, m) {
					t.Errorf("the verdict does not say %q:\n%s", m, text)
				}
			}
			if tt.notMessage != "" && len(v.Failures) > 0 {
				t.Errorf("want no failure:\n%s", text)
			}
		})
	}
}

// TestContractBlamesHelperCaller: a failure reported in a function marked
// Helper is blamed on the line that called it, and Fatalf ends only its
// own test.
func TestContractBlamesHelperCaller(t *testing.T) {
	v := runPeople(t, func(t *Probe, open func() (people, func() int)) {
		t.Run("first", func(t *Probe) {
			expectGrowth(t, 1, 1) // the line blamed
			t.Fatalf("stop here")
		})
		t.Run("second", func(t *Probe) { t.Errorf("still run") })
	}, false)
	text := describe(v)
	if v.Status != protocol.StatusFail {
		t.Fatalf("status %s, want fail:\n%s", v.Status, text)
	}
	src, err := os.ReadFile("contract_test.go")
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(string(src[:strings.Index(string(src), "expectGrowth(t, 1, 1)")]), "\n")
	for _, m := range []string{fmt.Sprintf("test Contract/first, at checker/contract_test.go:%d:", line), "stop here", "test Contract/second"} {
		if !strings.Contains(text, m) {
			t.Errorf("the verdict does not say %q:\n%s", m, text)
		}
	}
	if v.Score != nil {
		t.Errorf("a check with no broken implementations gave a score: %+v", v.Score)
	}
}

// TestScoreWorse: a verdict keeps the worse of its data sets' scores.
func TestScoreWorse(t *testing.T) {
	a, b := &protocol.Score{Killed: 2, Total: 3}, &protocol.Score{Killed: 3, Total: 3}
	if !a.Worse(b) || b.Worse(a) || a.Worse(a) || !a.Worse(nil) || (*protocol.Score)(nil).Worse(a) {
		t.Error("Worse does not order scores by the share killed")
	}
}

// TestContractOrder: every broken implementation runs once, the reference
// runs first and again at least once for every four broken ones, never
// twice in a row, and the order follows the permutations drawn.
func TestContractOrder(t *testing.T) {
	identity := func(n int) []int {
		p := make([]int, n)
		for i := range p {
			p[i] = i
		}
		return p
	}
	reversed := func(n int) []int {
		p := identity(n)
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
		return p
	}
	tests := []struct {
		n    int
		perm func(int) []int
		want []int
	}{
		{0, identity, []int{-1}},
		{1, identity, []int{-1, 0, -1}},
		{4, identity, []int{-1, 0, -1, 1, 2, 3}},
		{5, identity, []int{-1, 0, -1, 1, -1, 2, 3, 4}},
		{5, reversed, []int{-1, 4, 3, 2, 1, -1, 0, -1}},
	}
	for _, tt := range tests {
		got := contractOrder(tt.n, tt.perm)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("contractOrder(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	for n := 1; n <= 20; n++ {
		got := contractOrder(n, rand.Perm)
		seen, refs := map[int]int{}, 0
		for i, x := range got {
			if x == -1 {
				refs++
				if i > 0 && got[i-1] == -1 {
					t.Errorf("contractOrder(%d) = %v runs the reference twice in a row", n, got)
				}
				continue
			}
			seen[x]++
		}
		if got[0] != -1 || refs != 1+max(1, (n+3)/4) || len(seen) != n {
			t.Errorf("contractOrder(%d) = %v", n, got)
		}
		for x, k := range seen {
			if k != 1 || x < 0 || x >= n {
				t.Errorf("contractOrder(%d) = %v runs %d %d times", n, got, x, k)
			}
		}
	}
}
