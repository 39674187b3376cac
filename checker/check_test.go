package checker

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the messages the checker gives now")

// testConfig returns a config for the real data sets, with expected results
// in a temporary lesson folder and learner_test.go playing the learner's file.
func testConfig(t *testing.T) *config {
	t.Helper()
	cfg, err := newConfig(".", protocol.Env{})
	if err != nil {
		t.Fatal(err)
	}
	learner, err := filepath.Abs("learner_test.go")
	if err != nil {
		t.Fatal(err)
	}
	cfg.lesson, cfg.resultsFile, cfg.update, cfg.timeout = nil, "", false, 0
	cfg.explain, cfg.latency = false, 0
	cfg.lessonDir = t.TempDir()
	cfg.learnerFiles = []string{learner}
	return cfg
}

var foodCheck = Check{Name: "food-by-amount", Data: []string{"budget", "budget-variant"}, Budget: 1}

// nearMissCheck asks for the near misses of Food, one statement each.
var nearMissCheck = Check{Name: "food-by-amount", Data: []string{"budget", "budget-variant"}, Budget: 20}

func foodBody(f func(*sqlx.DB) ([]expense, error)) func(*C) {
	return func(c *C) {
		got, err := f(c.DB())
		c.NoError(err, "ExpensesInCategory(db, \"Food\")")
		c.Expect(got, Ordered, Noun("expense"))
	}
}

// foodByAmountBody is foodBody with the order the lesson states.
func foodByAmountBody(f func(*sqlx.DB) ([]expense, error)) func(*C) {
	return func(c *C) {
		got, err := f(c.DB())
		c.NoError(err, "ExpensesInCategory(db, \"Food\")")
		c.Expect(got, Ordered, OrderBy("e.amount_cents DESC", "e.id"), Noun("expense"))
	}
}

// withExpected writes the expected results of foodCheck from the right
// answer, as `workbook dev expected` does from a reference solution.
func withExpected(t *testing.T, cfg *config) {
	t.Helper()
	cfg.update = true
	if v := cfg.run(foodCheck, foodBody(foodByAmount)); !v.Passed() {
		t.Fatalf("writing expected results: %+v", v.Failures)
	}
	cfg.update = false
}

// nearMissBody asks for every near miss of Food with lookup, the
// learner's way of finding a category's expenses by name.
func nearMissBody(lookup func(db *sqlx.DB, name string) ([]expense, error)) func(*C) {
	return func(c *C) {
		food := Lookup{Value: "Food", Table: "categories", Column: "name", Compared: "c.name", Absent: "no category is named"}
		c.ExpectNoNearMisses(food, func(name string) (string, string) {
			call := fmt.Sprintf("ExpensesInCategory(db, %q)", name)
			got, err := lookup(c.DB(), name)
			c.NoError(err, call)
			if len(got) == 0 {
				return call, ""
			}
			return call, fmt.Sprintf("%d expenses", len(got))
		})
	}
}

// byName looks a category's expenses up with the comparison cmp, which
// names the bound name ?.
func byName(cmp string) func(db *sqlx.DB, name string) ([]expense, error) {
	return func(db *sqlx.DB, name string) ([]expense, error) {
		var out []expense
		err := db.Select(&out, `SELECT e.id, e.description, e.amount_cents, u.name AS owner
			FROM expenses e JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id
			WHERE `+cmp, name)
		return out, err
	}
}

// guessesWildcards answers "none" without asking for a name that holds a
// wildcard or a space, and looks the others up exactly.
func guessesWildcards(db *sqlx.DB, name string) ([]expense, error) {
	if strings.ContainsAny(name, "%_*? ") {
		return nil, nil
	}
	return byName("c.name = ?")(db, name)
}

func TestCheckVerdicts(t *testing.T) {
	tests := []struct {
		name       string
		check      Check
		body       func(*C)
		wantStatus protocol.Status
		wantOutput protocol.Part
		wantBudget protocol.Part
	}{
		{
			name: "pass", check: foodCheck, body: foodBody(foodByAmount),
			wantStatus: protocol.StatusPass, wantOutput: protocol.PartPass, wantBudget: protocol.PartPass,
		},
		{
			name: "wrong rows", check: foodCheck, body: foodBody(foodWithoutTheCheapest),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			// Code that reads makes itself an index: the schema changed.
			name: "schema changed by a read", check: foodCheck, body: foodByAmountBody(foodWithAnIndex),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartFail,
		},
		{
			name: "index dropped by a read", check: foodCheck, body: foodByAmountBody(foodDroppingAnIndex),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartFail,
		},
		{
			// A read that writes rows back as they were, through RETURNING.
			name: "rows written by a read", check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 2}, body: foodByAmountBody(foodTouchingRows),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			// The check's own trigger is the check's: no failure.
			name: "schema changed by the check", check: foodCheck, body: func(c *C) {
				c.Exec(`CREATE TRIGGER no_new_users BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'no'); END`)
				foodByAmountBody(foodByAmount)(c)
			},
			wantStatus: protocol.StatusPass, wantOutput: protocol.PartPass, wantBudget: protocol.PartPass,
		},
		{
			name: "wrong order", check: foodCheck, body: foodBody(foodInIDOrder),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "tie left open", check: foodCheck, body: foodByAmountBody(foodWithoutTieBreak),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "order turned around", check: foodCheck, body: foodByAmountBody(foodCheapestFirst),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "near misses compared exactly", check: nearMissCheck, body: nearMissBody(byName("c.name = ?")),
			wantStatus: protocol.StatusPass, wantOutput: protocol.PartPass, wantBudget: protocol.PartPass,
		},
		{
			name: "near misses with a leading space trimmed", check: nearMissCheck, body: nearMissBody(byName("c.name = ltrim(?)")),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "near misses matched at the end", check: nearMissCheck, body: nearMissBody(byName("c.name = substr(?, -length(c.name))")),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "near misses matched at the start", check: nearMissCheck, body: nearMissBody(byName("c.name = substr(?, 1, length(c.name))")),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "near misses guessed without a statement", check: nearMissCheck, body: nearMissBody(guessesWildcards),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "over budget", check: foodCheck, body: foodBody(foodRowByRow),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name: "over budget with a note", check: foodCheck,
			body: func(c *C) {
				foodBody(foodRowByRow)(c)
				c.BudgetNote("Each owner's name was already in the first statement's reach: JOIN users.")
			},
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name: "note within budget", check: foodCheck,
			body: func(c *C) {
				foodBody(foodByAmount)(c)
				c.BudgetNote("This note must not show: the budget was kept.")
			},
			wantStatus: protocol.StatusPass, wantOutput: protocol.PartPass, wantBudget: protocol.PartPass,
		},
		{
			name: "hard-coded", check: foodCheck, body: foodBody(foodForAlice),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name: "panic", check: foodCheck, body: foodBody(foodPanics),
			wantStatus: protocol.StatusPanic, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
		{
			name: "goexit", check: foodCheck, body: foodBody(foodGoexit),
			wantStatus: protocol.StatusPanic, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
		{
			name: "huge error", check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 1}, body: foodBody(foodHugeError),
			wantStatus: protocol.StatusError, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
		{
			name: "returned error", check: foodCheck, body: foodBody(foodBadColumn),
			wantStatus: protocol.StatusError, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
		{
			name:  "write that should have been refused",
			check: Check{Name: "refuses-missing-user", Data: []string{"budget"}, Budget: 1, ForeignKeysOff: true, Writes: true},
			body: func(c *C) {
				before := c.Snapshot()
				err := addExpense(c.DB(), 99)
				c.ErrorIs(err, errNoSuchUser, "AddExpense(db, 99)")
				c.ExpectChanges(before, Changes{})
			},
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name:  "table state",
			check: Check{Name: "delete-user", Data: []string{"budget"}, Budget: 2, Writes: true},
			body: func(c *C) {
				before := c.Snapshot()
				c.NoError(deleteUserTooMuch(c.DB(), 1), "DeleteUser(db, 1)")
				c.ExpectChanges(before, Changes{
					"users":    {Removed: "id = 1"},
					"expenses": {Removed: "user_id = 1"},
				})
			},
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name:  "table state right",
			check: Check{Name: "delete-user", Data: []string{"budget"}, Budget: 2, Writes: true},
			body: func(c *C) {
				before := c.Snapshot()
				c.NoError(deleteUser(c.DB(), 1), "DeleteUser(db, 1)")
				c.ExpectChanges(before, Changes{
					"users":    {Removed: "id = 1"},
					"expenses": {Removed: "user_id = 1"},
				})
			},
			wantStatus: protocol.StatusPass, wantOutput: protocol.PartPass, wantBudget: protocol.PartPass,
		},
		{
			name:  "plan that scans",
			check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 2, Plans: []PlanRule{NoScan("expenses")}},
			body: func(c *C) {
				foodBody(foodByAmount)(c)
				var n int
				c.NoError(c.DB().Get(&n, `SELECT count(*) FROM expenses e WHERE e.description = ?`, "Lunch"), "count")
			},
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name:  "plan that sorts",
			check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 2, Plans: []PlanRule{NoTempSort()}},
			body: func(c *C) {
				foodBody(foodByAmount)(c)
			},
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name:  "plan that searches",
			check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 2, Plans: []PlanRule{NoScan("expenses"), NoScan("users")}},
			body: func(c *C) {
				foodBody(foodByAmount)(c)
				var n int
				c.NoError(c.DB().Get(&n, `SELECT count(*) FROM expenses WHERE user_id = ?`, 1), "count")
			},
			wantStatus: protocol.StatusPass, wantOutput: protocol.PartPass, wantBudget: protocol.PartPass,
		},
		{
			name:  "repeated once per call",
			check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 2, Writes: true},
			body: func(c *C) {
				for _, name := range []string{"Ann", "Ben", "Cleo"} {
					c.NoError(addUserUnlessThere(c.DB(), name), "AddUser")
				}
			},
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name:       "helper called in a loop",
			check:      foodCheck,
			body:       foodBody(foodThroughAHelper),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name:  "write outside its own transaction",
			check: Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 3, Writes: true},
			body: func(c *C) {
				c.NoError(addUserBesideTx(c.DB()), "AddUser(db)")
			},
			wantStatus: protocol.StatusError, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
		{
			name: "over budget without a repeat", check: foodCheck, body: foodBody(foodThenCount),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartPass, wantBudget: protocol.PartFail,
		},
		{
			name: "no ORDER BY", check: foodCheck, body: foodBody(foodUnordered),
			wantStatus: protocol.StatusFail, wantOutput: protocol.PartFail, wantBudget: protocol.PartPass,
		},
		{
			name:       "timeout",
			check:      Check{Name: "food-by-amount", Data: []string{"budget"}, Budget: 1, Timeout: 200 * time.Millisecond},
			body:       foodBody(foodHangs),
			wantStatus: protocol.StatusTimeout, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
		{
			name:       "unknown data set",
			check:      Check{Name: "food-by-amount", Data: []string{"budgets"}},
			body:       foodBody(foodByAmount),
			wantStatus: protocol.StatusBroken, wantOutput: protocol.PartFail, wantBudget: protocol.PartNotJudged,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			withExpected(t, cfg)
			v := cfg.run(tt.check, tt.body)
			if v.Status != tt.wantStatus || v.Output != tt.wantOutput || v.Budget != tt.wantBudget {
				t.Errorf("status, output, budget = %s, %s, %s; want %s, %s, %s\n%s",
					v.Status, v.Output, v.Budget, tt.wantStatus, tt.wantOutput, tt.wantBudget, describe(v))
			}
			golden(t, "verdict_"+strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}

// describe renders the parts of a verdict a learner reads.
func describe(v protocol.Verdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (output %s, budget %s), %d statements, budget %d\n",
		v.Check, v.Status, v.Output, v.Budget, v.Statements, v.MaxStatements)
	for _, f := range v.Failures {
		fmt.Fprintf(&b, "--- %s on %s\n%s\n", f.Kind, f.Data, f.Text())
	}
	return b.String()
}

var sanitize = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`within [0-9.]+m?s`), "within TIME"},
	{regexp.MustCompile(`/tmp/[^ :]+`), "TMP"},
}

// golden compares got with testdata/name.golden, or rewrites that file when
// the test runs with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	for _, s := range sanitize {
		got = s.re.ReplaceAllString(got, s.with)
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./checker -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: message changed (review, then go test ./checker -update)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestFailuresOnlyOnTheVariantSaySo(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	v := cfg.run(foodCheck, foodBody(foodForAlice))
	if len(v.Failures) == 0 || v.Failures[0].Data != "budget-variant" {
		t.Fatalf("failures = %+v, want one on budget-variant", v.Failures)
	}
	if f := v.Failures[0]; !f.VariantOnly || !strings.Contains(f.Text(), "never shows") {
		t.Errorf("the failure is not marked as the variant's alone, or does not say the variant is unseen:\n%s", f.Text())
	}
	if f := v.Failures[0]; f.Statements != 1 || !strings.HasPrefix(f.Message, f.Summary[:20]) {
		t.Errorf("failure fields: statements %d, summary %q", f.Statements, f.Summary)
	}
}

// An order left to chance that comes out right on the lesson's data and
// wrong on a variant is introduced as the variant's (its ids are none the
// learner has seen), as an order that came out right by chance, not as
// code that depends on the lesson's data.
func TestOrderFailureOnAVariantSaysChance(t *testing.T) {
	cfg := testConfig(t)
	withExpected(t, cfg)
	v := cfg.run(foodCheck, func(c *C) {
		f := foodByAmount
		if c.Data() != "budget" {
			f = foodUnordered
		}
		foodBody(f)(c)
	})
	if len(v.Failures) != 1 {
		t.Fatalf("want one failure, on the variant:\n%s", describe(v))
	}
	if f := v.Failures[0]; !f.VariantOnly || !f.OrderOnly || !strings.Contains(f.Text(), "by chance") ||
		strings.Contains(f.Text(), "no id, name or value") {
		t.Errorf("variant only %v, order only %v:\n%s", f.VariantOnly, f.OrderOnly, f.Text())
	}
}

func TestUndeclaredCheckIsBroken(t *testing.T) {
	cfg := testConfig(t)
	cfg.lesson = nil
	if msg := cfg.problem(Check{Name: "x"}); !strings.Contains(msg, "names no data set") {
		t.Errorf("problem() = %q", msg)
	}
}

func TestExpectWithoutExpectedFileIsBroken(t *testing.T) {
	cfg := testConfig(t)
	v := cfg.run(foodCheck, foodBody(foodByAmount))
	if v.Status != protocol.StatusBroken || !strings.Contains(v.Failures[0].Message, "workbook dev expected") {
		t.Errorf("verdict = %s", describe(v))
	}
}

func TestEachRunGetsAFreshCopy(t *testing.T) {
	cfg := testConfig(t)
	check := Check{Name: "fresh", Data: []string{"budget", "budget"}, Writes: true}
	var counts []int
	v := cfg.run(check, func(c *C) {
		var n int
		c.NoError(c.DB().Get(&n, `SELECT count(*) FROM users`), "count")
		counts = append(counts, n)
		_, err := c.DB().Exec(`DELETE FROM expenses; DELETE FROM users`)
		c.NoError(err, "delete")
	})
	if !v.Passed() || len(counts) != 2 || counts[0] != counts[1] || counts[0] == 0 {
		t.Errorf("counts = %v, verdict %s", counts, describe(v))
	}
	before, err := os.ReadFile(filepath.Join(cfg.seeds.dir, "budget.db"))
	if err != nil || len(before) == 0 {
		t.Fatal(err)
	}
}

func TestDriverNameOpensOnlyTheCheckCopy(t *testing.T) {
	cfg := testConfig(t)
	var openedCopy, openedSeed error
	v := cfg.run(Check{Name: "open", Data: []string{"bank"}}, func(c *C) {
		db, err := sql.Open(DriverName, "file:"+c.Path()+"?_foreign_keys=on")
		c.NoError(err, "open")
		defer db.Close()
		_, openedCopy = db.Exec(`UPDATE accounts SET owner = 'X' WHERE id = 1`)
		seed, err := sql.Open(DriverName, filepath.Join(cfg.seeds.dir, "bank.db"))
		if openedSeed = err; err == nil {
			defer seed.Close()
			_, openedSeed = seed.Exec(`UPDATE accounts SET owner = 'X' WHERE id = 1`)
		}
	})
	if openedCopy != nil {
		t.Errorf("writing to the copy: %v", openedCopy)
	}
	if openedSeed == nil || !strings.Contains(openedSeed.Error(), "not the database this check prepared") {
		t.Errorf("opening the seeded file was not refused: %v", openedSeed)
	}
	if v.Statements != 1 {
		t.Errorf("statements = %d, want the one UPDATE on the copy", v.Statements)
	}
}

func TestFreshCopyCost(t *testing.T) {
	if testing.Short() {
		t.Skip("measures time")
	}
	cfg := testConfig(t)
	dir, err := os.MkdirTemp(scratchDir(), "bench-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := cfg.seeds.freshCopy("budget", dir); err != nil { // warm the cache
		t.Fatal(err)
	}
	res := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := cfg.seeds.freshCopy("budget", dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	t.Logf("a fresh copy of budget costs %v", time.Duration(res.NsPerOp()))
}

func BenchmarkFreshCopy(b *testing.B) {
	cfg, err := newConfig(".", protocol.Env{})
	if err != nil {
		b.Fatal(err)
	}
	dir, err := os.MkdirTemp(scratchDir(), "bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"budget", "budget-1000", "budget-10000"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := cfg.seeds.freshCopy(name, dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLearnerCodeCannotReachOtherDatabases proves that code under check can
// neither open the check's copy or a seeded file with the bare driver (which
// would escape the count, or write to data/), nor attach a database to the
// handle it was given.
func TestLearnerCodeCannotReachOtherDatabases(t *testing.T) {
	cfg := testConfig(t)
	seed := filepath.Join(cfg.seeds.dir, "budget.db")
	before, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	var bareCopy, bareSeed, attach error
	v := cfg.run(Check{Name: "escape", Data: []string{"budget"}}, func(c *C) {
		for _, target := range []struct {
			path string
			err  *error
		}{{c.Path(), &bareCopy}, {seed, &bareSeed}} {
			db, err := sql.Open("sqlite3", "file:"+target.path)
			c.NoError(err, "sql.Open")
			_, *target.err = db.Exec(`DELETE FROM expenses`)
			db.Close()
		}
		_, attach = c.DB().Exec(`ATTACH DATABASE ? AS seed`, seed)
	})
	for name, err := range map[string]error{"the copy with the bare driver": bareCopy, "the seed with the bare driver": bareSeed} {
		if err == nil || !strings.Contains(err.Error(), "use the handle the check gives you") {
			t.Errorf("opening %s: err = %v, want a refusal", name, err)
		}
	}
	if attach == nil || !strings.Contains(attach.Error(), "too many attached databases") {
		t.Errorf("ATTACH through c.DB(): err = %v, want a refusal", attach)
	}
	if after, _ := os.ReadFile(seed); string(after) != string(before) {
		t.Error("the seeded database changed")
	}
	if !v.Passed() {
		t.Errorf("verdict: %s", describe(v))
	}
}

func TestUpdateModeReportsAFailedWrite(t *testing.T) {
	cfg := testConfig(t)
	cfg.update = true
	// A file where the expected/ folder should go: the write must fail, loudly.
	if err := os.WriteFile(filepath.Join(cfg.lessonDir, "expected"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	v := cfg.run(foodCheck, foodBody(foodByAmount))
	if v.Status != protocol.StatusBroken || !strings.Contains(v.Failures[0].Message, "checker: writing") {
		t.Errorf("verdict = %s", describe(v))
	}
}
