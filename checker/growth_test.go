package checker

import (
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

func TestJudgeGrowth(t *testing.T) {
	tests := []struct {
		name           string
		m              growthRuns
		factor         float64
		wantOK         bool
		wantRef        float64
		wantGot        float64
		wantFromRefSet bool
	}{
		{"linear, as the reference", growthRuns{ms(6, 6, 7), ms(60, 61, 59), ms(7, 7, 6), ms(70, 72, 69)}, 3, true, 10, 10, false},
		{"quadratic", growthRuns{ms(6, 6, 6), ms(60, 60, 60), ms(12, 12, 12), ms(490, 500, 480)}, 3, false, 10, 490.0 / 12, false},
		{"exactly at the limit", growthRuns{ms(10), ms(100), ms(10), ms(300)}, 3, true, 10, 30, false},
		{"just past the limit", growthRuns{ms(10), ms(100), ms(10), ms(310)}, 3, false, 10, 31, false},
		{"an outlier in a large run does not fail linear code", growthRuns{ms(6, 6, 6, 6, 6), ms(60, 60, 60, 60, 60), ms(6, 6, 6, 6, 6), ms(60, 60, 2000, 60, 60)}, 3, true, 10, 10, false},
		{"an outlier in the reference does not pass quadratic code", growthRuns{ms(6, 6, 6, 6, 6), ms(60, 60, 2000, 60, 60), ms(6, 6, 6, 6, 6), ms(600, 600, 600, 600, 600)}, 3, false, 10, 100, false},
		{"times under a millisecond count as one", growthRuns{ms(0.05), ms(0.5), ms(0.01), ms(0.9)}, 3, true, 1, 1, false},
		{"fast on the small data is not blamed", growthRuns{ms(6), ms(60), ms(0.5), ms(70)}, 3, true, 10, 70.0 / 6, true},
		{"no slower than the reference on the large data passes", growthRuns{ms(6), ms(60), ms(1), ms(60)}, 1, true, 10, 10, true},
		{"slow at both sizes but growing as the reference passes", growthRuns{ms(20), ms(200), ms(40), ms(400)}, 3, true, 10, 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := judgeGrowth(tt.m, tt.factor)
			near := func(a, b float64) bool { return a > b-0.001 && a < b+0.001 }
			if v.ok != tt.wantOK || !near(v.refGrowth, tt.wantRef) || !near(v.gotGrowth, tt.wantGot) || v.fromReference != tt.wantFromRefSet {
				t.Errorf("judgeGrowth = ok %v, reference %.3f×, learner %.3f×, from the reference %v; want ok %v, %.3f×, %.3f×, %v",
					v.ok, v.refGrowth, v.gotGrowth, v.fromReference, tt.wantOK, tt.wantRef, tt.wantGot, tt.wantFromRefSet)
			}
		})
	}
}

func TestGrowthDecided(t *testing.T) {
	tests := []struct {
		name string
		m    growthRuns
		want bool
	}{
		{"no runs yet", growthRuns{}, false},
		{"far past the limit in one round", growthRuns{ms(6), ms(60), ms(6), ms(5000)}, true},
		{"past the limit but not decisively", growthRuns{ms(6), ms(60), ms(6), ms(300)}, false},
		{"a slow small run of the learner's weighs in", growthRuns{ms(6, 6), ms(60, 60), ms(6, 100), ms(5000, 5000)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := growthDecided(tt.m, 3); got != tt.want {
				t.Errorf("growthDecided = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGrowthHeld(t *testing.T) {
	tests := []struct {
		name string
		m    growthRuns
		want bool
	}{
		{"no runs yet", growthRuns{}, false},
		{"one round, however clear", growthRuns{ms(6), ms(60), ms(6), ms(60)}, false},
		{"two rounds like the reference", growthRuns{ms(6, 6.2), ms(60, 61), ms(6.1, 6), ms(59, 62)}, true},
		{"two rounds within the limit, not well within", growthRuns{ms(6, 6), ms(60, 60), ms(6, 6), ms(150, 150)}, false},
		{"one slow large run of the learner's weighs in", growthRuns{ms(6, 6), ms(60, 60), ms(6, 6), ms(60, 130)}, false},
		{"slower than the reference, like it", growthRuns{ms(6, 6), ms(60, 60), ms(15, 15), ms(150, 150)}, true},
		{"one fast small run of the learner's weighs in", growthRuns{ms(6, 6), ms(60, 60), ms(15, 7), ms(150, 150)}, false},
		{"faster than the reference on the larger set", growthRuns{ms(6, 6), ms(60, 60), ms(0.5, 0.5), ms(50, 50)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := growthHeld(tt.m, 3); got != tt.want {
				t.Errorf("growthHeld = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestExpectGrowth runs ExpectGrowth with a clock that only the timed
// functions move, by a cost that depends on the data set they are given:
// the verdict depends on the costs alone, never on the machine.
func TestExpectGrowth(t *testing.T) {
	users := func(db *sqlx.DB) time.Duration {
		var n int64
		if err := db.Get(&n, `SELECT count(*) FROM users`); err != nil {
			t.Fatal(err)
		}
		return time.Duration(n)
	}
	tests := []struct {
		name          string
		cost          func(users time.Duration) time.Duration // the learner's
		wantStatus    protocol.Status
		wantInMessage string
		wantRuns      int
	}{
		// Runs in both orders so well within the limit decide.
		{name: "growth like the reference", cost: func(n time.Duration) time.Duration { return 2 * n * time.Millisecond / 10 },
			wantStatus: protocol.StatusPass, wantRuns: 2 + 2*decidedRuns},
		// 25× against the reference's 10×: within a factor of 3, not
		// well within, so every run is taken.
		{name: "growth within the limit but near it", cost: func(n time.Duration) time.Duration {
			return time.Duration(math.Pow(float64(n), 1.4)) * time.Millisecond / 10
		},
			wantStatus: protocol.StatusPass, wantRuns: 2 + 2*DefaultSpeedRuns},
		{name: "growth with the square of the users", cost: func(n time.Duration) time.Duration { return n * n * time.Millisecond / 100 },
			wantStatus: protocol.StatusFail, wantRuns: 2 + 2*1,
			wantInMessage: "Report(db) grows too fast: from 10 to 100 users it took 100× longer; the reference took 10× longer\n" +
				"  (the limit is 3 times the reference's growth).\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			var now time.Duration
			cfg.clock = clock{what: "CPU time", now: func() time.Duration { return now }}
			learnerRuns := 0
			g := Growth{
				Reference: func(db *sqlx.DB) error { now += users(db) * time.Millisecond / 10; return nil },
				Learner:   func(db *sqlx.DB) error { now += tt.cost(users(db)); learnerRuns++; return nil },
				From:      "budget-10",
				Step:      "from 10 to 100 users",
			}
			v := cfg.run(Check{Name: "report-growth", Data: []string{"budget-100", "budget-10"}}, func(c *C) {
				c.NoError(nil, "Report(db)")
				c.ExpectGrowth(g)
			})
			if v.Status != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", v.Status, tt.wantStatus, describe(v))
			}
			if tt.wantInMessage != "" && (len(v.Failures) == 0 || !strings.Contains(v.Failures[0].Message, tt.wantInMessage)) {
				t.Errorf("the message does not say %q:\n%s", tt.wantInMessage, describe(v))
			}
			if learnerRuns != tt.wantRuns {
				t.Errorf("the learner's code ran %d times, want %d (a warm-up on each size, then runs on both)", learnerRuns, tt.wantRuns)
			}
			golden(t, strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}

func TestExpectGrowthNeedsFromInData(t *testing.T) {
	v := testConfig(t).run(Check{Name: "report-growth", Data: []string{"budget-100"}}, func(c *C) {
		c.ExpectGrowth(Growth{Reference: func(*sqlx.DB) error { return nil }, Learner: func(*sqlx.DB) error { return nil }, From: "budget-10"})
	})
	if v.Status != protocol.StatusBroken {
		t.Errorf("status = %s, want broken: a graded run would not be handed budget-10\n%s", v.Status, describe(v))
	}
}

func TestGrowthCap(t *testing.T) {
	tests := []struct {
		name                       string
		refSmall, gotSmall, refBig []time.Duration
		factor                     float64
		want                       time.Duration
	}{
		// The reference grows 60×: a run of the learner's code that grows
		// decisive × factor × 60 = 240× from its slowest small run decides.
		{"as fast as the reference on the small set", ms(10, 11), ms(10, 10), ms(600, 580), 2, 2 * 2 * 60 * ms(11)[0]},
		{"slower than the reference on the small set", ms(10), ms(30, 25), ms(600), 2, 2 * 2 * 60 * ms(30)[0]},
		{"faster than the reference on the small set", ms(10), ms(2), ms(600), 2, 2 * 2 * 60 * ms(10)[0]},
		{"the reference's slowest large run counts", ms(10), ms(10), ms(600, 900), 2, 2 * 2 * 90 * ms(10)[0]},
		{"times under a millisecond count as one", ms(0.1), ms(0.1), ms(5), 3, 2 * 3 * 5 * ms(1)[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := growthCap(tt.refSmall, tt.gotSmall, tt.refBig, tt.factor)
			if d := got - tt.want; d < -time.Microsecond || d > time.Microsecond {
				t.Errorf("growthCap = %v, want %v", got, tt.want)
			}
			// A run stopped at the cap fails, whatever the medians.
			v := judgeGrowth(growthRuns{tt.refSmall, tt.refBig, tt.gotSmall, []time.Duration{got}}, tt.factor)
			if v.ok || v.gotGrowth < decisive*tt.factor*v.refGrowth-0.001 {
				t.Errorf("a run stopped at the cap grows %.1f×, against the reference's %.1f×: want a failure %v times past the limit",
					v.gotGrowth, v.refGrowth, decisive)
			}
		})
	}
}

// TestExpectGrowthGenerated runs ExpectGrowth with a step to a generated
// set, with a clock that only the timed functions move (atomically: a
// capped run is on a goroutine of its own), by a cost that depends on the
// number of users.
func TestExpectGrowthGenerated(t *testing.T) {
	users := func(db *sqlx.DB) int64 {
		var n int64
		if err := db.Get(&n, `SELECT count(*) FROM users`); err != nil {
			t.Error(err)
		}
		return n
	}
	linear := func(n int64) time.Duration { return time.Duration(n) * time.Millisecond / 10 }
	tests := []struct {
		name string
		// cost is the learner's; a cost of hang or more never returns
		// (until the test ends): only the cap ends its wait.
		cost          func(n int64) time.Duration
		wantStatus    protocol.Status
		wantInMessage []string
		wantRuns      int
	}{
		{name: "linear on every step", cost: func(n int64) time.Duration { return 2 * linear(n) },
			wantStatus: protocol.StatusPass, wantRuns: 2 + 2*decidedRuns + 1 + decidedRuns},
		// 13.5× from 10 to 100 users against the reference's 10×, within a
		// factor of 3; 481× from 10 to 1,000 against 100×, not.
		{name: "a small square hidden at 100 users shows at 1000", cost: func(n int64) time.Duration {
			return linear(n) + time.Duration(n*n)*time.Microsecond*4/10
		},
			wantStatus: protocol.StatusFail, wantRuns: 2 + 2*decidedRuns + 1 + GeneratedRuns,
			wantInMessage: []string{
				"Report(db) grows too fast: from 10 to 1,000 users it took 481× longer; the reference took 100× longer\n",
				"  From 10 to 100 users it took 13.5× longer, the reference 10× longer: within the limit, since\n",
			}},
		{name: "a run far past the limit is stopped", cost: func(n int64) time.Duration {
			if n >= 1000 {
				return time.Hour
			}
			return linear(n)
		},
			wantStatus: protocol.StatusFail, wantRuns: 2 + 2*decidedRuns + 1,
			wantInMessage: []string{
				"Report(db) grows too fast: from 10 to 1,000 users it took more than 600× longer; the reference took 100× longer\n",
				"  Yours took 1.0 ms, then more than 600 ms of CPU time, when it was stopped: by then it had grown\n",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			var now atomic.Int64
			cfg.clock = clock{what: "CPU time", now: func() time.Duration { return time.Duration(now.Load()) }}
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			var learnerRuns atomic.Int64
			g := Growth{
				Reference: func(db *sqlx.DB) error { now.Add(int64(linear(users(db)))); return nil },
				Learner: func(db *sqlx.DB) error {
					learnerRuns.Add(1)
					cost := tt.cost(users(db))
					now.Add(int64(cost))
					if cost >= time.Hour {
						<-release
					}
					return nil
				},
				From:          "budget-10",
				Step:          "from 10 to 100 users",
				Generated:     1000,
				GeneratedStep: "from 10 to 1,000 users",
			}
			v := cfg.run(Check{Name: "report-growth", Data: []string{"budget-100", "budget-10"}}, func(c *C) {
				c.NoError(nil, "Report(db)")
				c.ExpectGrowth(g)
			})
			if v.Status != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", v.Status, tt.wantStatus, describe(v))
			}
			for _, want := range tt.wantInMessage {
				if len(v.Failures) == 0 || !strings.Contains(v.Failures[0].Message, want) {
					t.Errorf("the message does not say %q:\n%s", want, describe(v))
				}
			}
			if n := learnerRuns.Load(); n != int64(tt.wantRuns) {
				t.Errorf("the learner's code ran %d times, want %d", n, tt.wantRuns)
			}
			if n := len(v.Timings); n != 2 {
				t.Errorf("%d timings, want 2 (one per step)", n)
			} else if v.Timings[1].Data != "budget-1000" || v.Timings[1].From != "budget-10" {
				t.Errorf("the second timing is of %s from %s, want budget-1000 from budget-10", v.Timings[1].Data, v.Timings[1].From)
			}
			golden(t, "generated_"+strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}

func TestExpectGrowthGeneratedNeedsABudgetFrom(t *testing.T) {
	v := testConfig(t).run(Check{Name: "report-growth", Data: []string{"bank-variant", "bank"}}, func(c *C) {
		c.ExpectGrowth(Growth{Reference: func(*sqlx.DB) error { return nil }, Learner: func(*sqlx.DB) error { return nil },
			From: "bank", Generated: 100})
	})
	if v.Status != protocol.StatusBroken {
		t.Errorf("status = %s, want broken: bank has no budget schema to generate into\n%s", v.Status, describe(v))
	}
}
