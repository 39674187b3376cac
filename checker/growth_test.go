package checker

import (
	"strings"
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
		{name: "growth like the reference", cost: func(n time.Duration) time.Duration { return 2 * n * time.Millisecond / 10 },
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
