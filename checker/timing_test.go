package checker

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

func ms(values ...float64) []time.Duration {
	out := make([]time.Duration, len(values))
	for i, v := range values {
		out[i] = time.Duration(v * float64(time.Millisecond))
	}
	return out
}

func TestJudgeSpeed(t *testing.T) {
	tests := []struct {
		name      string
		ref, got  []time.Duration
		limit     float64
		wantOK    bool
		wantRatio float64
	}{
		{"as fast", ms(50, 48, 52, 50, 51), ms(49, 50, 53, 47, 50), 3, true, 1},
		{"exactly at the limit", ms(10, 10, 10), ms(30, 30, 30), 3, true, 3},
		{"just past the limit", ms(10, 10, 10), ms(31, 31, 31), 3, false, 3.1},
		{"much slower", ms(47, 45, 52, 46, 47), ms(225, 231, 218, 240, 221), 3, false, 225.0 / 47},
		{"an outlier in the reference does not pass a slow answer", ms(10, 10, 500, 10, 10), ms(40, 40, 40, 40, 40), 3, false, 4},
		{"an outlier in the answer does not fail a fast one", ms(10, 10, 10, 10, 10), ms(12, 11, 900, 12, 13), 3, true, 1.2},
		{"even counts take the middle pair", ms(10, 20, 30, 40), ms(25, 25, 25, 25), 1, true, 1},
		{"a reference under a millisecond counts as one", ms(0.1, 0.1, 0.1), ms(0.9, 0.9, 0.9), 3, true, 0.9},
		{"but not past the limit of that millisecond", ms(0.1, 0.1, 0.1), ms(3.5, 3.5, 3.5), 3, false, 3.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := judgeSpeed(tt.ref, tt.got, tt.limit)
			if v.ok != tt.wantOK || v.ratio < tt.wantRatio-0.001 || v.ratio > tt.wantRatio+0.001 {
				t.Errorf("judgeSpeed = ok %v, ratio %.3f; want ok %v, ratio %.3f", v.ok, v.ratio, tt.wantOK, tt.wantRatio)
			}
		})
	}
}

func TestClearlyTooSlow(t *testing.T) {
	tests := []struct {
		name     string
		ref, got []time.Duration
		limit    float64
		want     bool
	}{
		{"no runs yet", nil, nil, 3, false},
		{"far past the limit in one pair", ms(50), ms(2300), 5, true},
		{"past the limit but not decisively", ms(50), ms(400), 5, false},
		{"one fast run among slow ones", ms(50, 50), ms(2300, 60), 5, false},
		{"a slow reference run weighs in", ms(50, 300), ms(2300, 2400), 5, false},
		{"the reference floor applies", ms(0.1), ms(9), 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clearlyTooSlow(tt.ref, tt.got, tt.limit); got != tt.want {
				t.Errorf("clearlyTooSlow = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClearlyFastEnough(t *testing.T) {
	tests := []struct {
		name     string
		ref, got []time.Duration
		limit    float64
		want     bool
	}{
		{"no runs yet", nil, nil, 5, false},
		{"one pair, however fast", ms(50), ms(50), 5, false},
		{"two pairs like the reference", ms(50, 52), ms(49, 55), 5, true},
		{"within the limit but not by half", ms(50, 50), ms(150, 150), 5, false},
		{"one slow run of the learner's weighs in", ms(50, 50), ms(50, 200), 5, false},
		{"one fast run of the reference's weighs in", ms(50, 10), ms(50, 50), 5, false},
		{"the reference floor applies", ms(0.1, 0.1), ms(1, 1), 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clearlyFastEnough(tt.ref, tt.got, tt.limit); got != tt.want {
				t.Errorf("clearlyFastEnough = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestShowDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{4700 * time.Microsecond, "4.7 ms"},
		{231 * time.Millisecond, "231 ms"},
		{1400 * time.Millisecond, "1.4 s"},
		{0, "0.0 ms"},
	}
	for _, tt := range tests {
		if got := showDuration(tt.d); got != tt.want {
			t.Errorf("showDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestExpectSpeed runs ExpectSpeed with a clock that only the timed
// functions move: each adds its cost to the reading, so the verdict depends
// on the costs alone, never on the machine.
func TestExpectSpeed(t *testing.T) {
	tests := []struct {
		name          string
		learner       time.Duration
		learnerErr    error
		referenceErr  error
		ratio         float64
		wantStatus    protocol.Status
		wantInMessage string
		wantOrder     string // the order of the runs; "" for a warm-up and DefaultSpeedRuns turns
	}{
		{name: "speed within the ratio", learner: 25 * time.Millisecond, wantStatus: protocol.StatusPass},
		{name: "speed well within the ratio decided in two turns", learner: 12 * time.Millisecond, wantStatus: protocol.StatusPass,
			wantOrder: "rl" + "rl" + "lr"},
		{name: "speed past the ratio", learner: 55 * time.Millisecond, wantStatus: protocol.StatusFail,
			wantInMessage: "Report(db) is too slow: it takes 5.5 times as long as the lesson's reference; the limit is 3 times.\n" +
				"  It took 55 ms of CPU time, the reference 10 ms (the medians of 5 runs each, taken in\n"},
		{name: "speed past a stated ratio", learner: 25 * time.Millisecond, ratio: 2, wantStatus: protocol.StatusFail,
			wantInMessage: "it takes 2.5 times as long as the lesson's reference; the limit is 2 times."},
		{name: "speed decided at once", learner: 700 * time.Millisecond, wantStatus: protocol.StatusFail, wantOrder: "rlrl",
			wantInMessage: "It took 700 ms of CPU time, the reference 10 ms (one run each, in this process on the same\n" +
				"  data: so far past the limit that more runs could not change the verdict)."},
		{name: "speed with an error", learner: time.Millisecond, learnerErr: errors.New("no such table: expense"),
			wantStatus: protocol.StatusError, wantInMessage: "Report(db) returned an error:"},
		{name: "speed with a broken reference", learner: time.Millisecond, referenceErr: errors.New("oops"),
			wantStatus: protocol.StatusBroken, wantInMessage: "checker: the reference implementation failed: oops"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			var now time.Duration
			cfg.clock = clock{what: "CPU time", now: func() time.Duration { return now }}
			var order []string
			s := Speed{
				Reference: func(*sqlx.DB) error {
					now += 10 * time.Millisecond
					order = append(order, "r")
					return tt.referenceErr
				},
				Learner: func(*sqlx.DB) error {
					now += tt.learner
					order = append(order, "l")
					return tt.learnerErr
				},
				Ratio: tt.ratio,
			}
			v := cfg.run(Check{Name: "report-speed", Data: []string{"budget"}}, func(c *C) {
				c.NoError(nil, "Report(db)")
				c.ExpectSpeed(s)
			})
			if v.Status != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", v.Status, tt.wantStatus, describe(v))
			}
			if tt.wantInMessage != "" && (len(v.Failures) == 0 || !strings.Contains(v.Failures[0].Message, tt.wantInMessage)) {
				t.Errorf("the message does not say %q:\n%s", tt.wantInMessage, describe(v))
			}
			if tt.wantStatus == protocol.StatusPass || tt.wantStatus == protocol.StatusFail {
				// A warm-up of each, then DefaultSpeedRuns turns, taking turns going first.
				want := tt.wantOrder
				if want == "" {
					want = "rl" + "rl" + "lr" + "rl" + "lr" + "rl"
				}
				if got := strings.Join(order, ""); got != want {
					t.Errorf("runs in the order %s, want %s", got, want)
				}
			}
			golden(t, strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}

// TestExpectSpeedOnTheRealClock times two real queries of equal cost: on
// any machine, loaded or not, their ratio must stay far below the default.
func TestExpectSpeedOnTheRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("measures time")
	}
	query := func(db *sqlx.DB) error {
		var n []int64
		return db.Select(&n, `SELECT e.user_id FROM expenses e JOIN categories c ON c.id = e.category_id
			GROUP BY e.user_id, c.id ORDER BY e.user_id`)
	}
	v := testConfig(t).run(Check{Name: "report-speed", Data: []string{"budget-1000"}, Timeout: time.Minute}, func(c *C) {
		c.ExpectSpeed(Speed{Reference: query, Learner: query})
	})
	if !v.Passed() {
		t.Errorf("the same query against itself: %s", describe(v))
	}
}

// A learner's function that keeps its result from an earlier call runs no
// statement in the timed runs: its time says nothing, and the check says
// why instead of passing it as fast.
func TestExpectSpeedRefusesAKeptResult(t *testing.T) {
	var kept []int64
	report := func(db *sqlx.DB) ([]int64, error) {
		if kept != nil {
			return kept, nil
		}
		err := db.Select(&kept, `SELECT id FROM users ORDER BY id`)
		return kept, err
	}
	reference := func(db *sqlx.DB) error {
		var ids []int64
		return db.Select(&ids, `SELECT id FROM users ORDER BY id`)
	}
	v := testConfig(t).run(Check{Name: "report-speed", Data: []string{"budget"}}, func(c *C) {
		_, err := report(c.DB())
		c.NoError(err, "Report(db)")
		c.ExpectSpeed(Speed{Reference: reference, Learner: func(db *sqlx.DB) error { _, err := report(db); return err }})
	})
	if v.Status != protocol.StatusFail {
		t.Fatalf("status = %s, want fail\n%s", v.Status, describe(v))
	}
	if want := "Report(db) ran no statement in a timed run on budget"; !strings.Contains(v.Failures[0].Message, want) {
		t.Errorf("the message does not say %q:\n%s", want, describe(v))
	}
}

// TestExpectSpeedRefusesStatementsLeftUnread proves that code which keeps
// its result and, to look busy, still sends the statement but closes its
// rows unread fails: the timed runs read fewer rows than the checked run.
func TestExpectSpeedRefusesStatementsLeftUnread(t *testing.T) {
	var kept []int64
	report := func(db *sqlx.DB) ([]int64, error) {
		rows, err := db.Query(`SELECT id FROM users ORDER BY id`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		if kept != nil {
			return kept, nil
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			kept = append(kept, id)
		}
		return kept, rows.Err()
	}
	reference := func(db *sqlx.DB) error {
		var ids []int64
		return db.Select(&ids, `SELECT id FROM users ORDER BY id`)
	}
	v := testConfig(t).run(Check{Name: "report-speed", Data: []string{"budget"}}, func(c *C) {
		_, err := report(c.DB())
		c.NoError(err, "Report(db)")
		c.ExpectSpeed(Speed{Reference: reference, Learner: func(db *sqlx.DB) error { _, err := report(db); return err }})
	})
	if v.Status != protocol.StatusFail {
		t.Fatalf("status = %s, want fail\n%s", v.Status, describe(v))
	}
	if want := "Report(db) read 0 rows in a timed run on budget, where it read 6 rows"; !strings.Contains(v.Failures[0].Message, want) {
		t.Errorf("the message does not say %q:\n%s", want, describe(v))
	}
}

// TestExpectSpeedVariesTheContent: code that reads every row, and does its
// slow work only for content it has not seen (a cache keyed by a hash of
// the rows), is timed doing that work when Vary changes the content before
// each run; without Vary, only its cache is timed.
func TestExpectSpeedVariesTheContent(t *testing.T) {
	for _, vary := range []bool{false, true} {
		cfg := testConfig(t)
		var now time.Duration
		cfg.clock = clock{what: "CPU time", now: func() time.Duration { return now }}
		seen, calls := map[string]bool{}, 0
		report := func(db *sqlx.DB) error {
			calls++
			var amounts []string
			if err := db.Select(&amounts, `SELECT user_id || ':' || amount_cents FROM expenses ORDER BY id`); err != nil {
				return err
			}
			now += time.Millisecond
			if key := strings.Join(amounts, ","); !seen[key] {
				seen[key] = true
				now += 100 * time.Millisecond // the slow work, once per content
			}
			return nil
		}
		s := Speed{
			Reference: func(db *sqlx.DB) error {
				var amounts []int64
				now += 2 * time.Millisecond
				return db.Select(&amounts, `SELECT amount_cents FROM expenses ORDER BY id`)
			},
			Learner: report,
		}
		if vary {
			s.Vary = Swapped("expenses", "amount_cents", "user_id")
		}
		v := cfg.run(Check{Name: "report-speed", Data: []string{"budget"}}, func(c *C) {
			c.NoError(report(c.DB()), "Report(db)")
			c.ExpectSpeed(s)
		})
		want := map[bool]protocol.Status{false: protocol.StatusPass, true: protocol.StatusFail}[vary]
		if v.Status != want {
			t.Errorf("with Vary %v: status = %s, want %s\n%s", vary, v.Status, want, describe(v))
		}
		if vary && len(seen) != calls {
			t.Errorf("with Vary: the code met %d contents in %d calls, want a new one each call", len(seen), calls)
		}
	}
}
