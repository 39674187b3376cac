package checker

import (
	"testing"
	"time"
)

// statements runs n counted statements on the check's database.
func statements(n int) func(*C) {
	return func(c *C) {
		for i := 0; i < n; i++ {
			var id int64
			if err := c.DB().Get(&id, "SELECT id FROM users WHERE id = ?", 1); err != nil {
				c.Fatalf("%v", err)
			}
		}
	}
}

func TestExplainKeepsTheWholeLog(t *testing.T) {
	tests := []struct {
		explain bool
		n       int
		want    int
	}{
		{false, 10, 10},
		{false, 450, maxLogLines},
		{true, 450, 450},
		{true, maxExplainLines + 10, maxExplainLines},
	}
	for _, tt := range tests {
		cfg := testConfig(t)
		cfg.explain = tt.explain
		v := cfg.run(Check{Name: "many", Data: []string{"budget"}}, statements(tt.n))
		if len(v.Log) != tt.want {
			t.Errorf("explain %v, %d statements: the verdict keeps %d, want %d", tt.explain, tt.n, len(v.Log), tt.want)
		}
		if last := v.Log[len(v.Log)-1].Seq; last != tt.n {
			t.Errorf("explain %v, %d statements: the last kept is %d, want the last one run", tt.explain, tt.n, last)
		}
	}
}

func TestLatencyIsWaitedAndRecordedApart(t *testing.T) {
	const latency = 5 * time.Millisecond
	cfg := testConfig(t)
	cfg.latency = latency
	v := cfg.run(Check{Name: "slow", Data: []string{"budget", "budget-variant"}}, statements(4))
	if !v.Passed() {
		t.Fatalf("verdict %s: %+v", v.Status, v.Failures)
	}
	if v.LogData != "budget" {
		t.Errorf("LogData = %q, want the lesson's data set", v.LogData)
	}
	if time.Duration(v.Waited) < 4*latency {
		t.Errorf("Waited = %v for 4 statements at %v", time.Duration(v.Waited), latency)
	}
	if v.DBTime <= 0 || time.Duration(v.DBTime) >= latency {
		t.Errorf("DBTime = %v, want SQLite's own time, without the waits", time.Duration(v.DBTime))
	}
	for _, s := range v.Log {
		if s.WaitMicros < latency.Microseconds() || s.Micros >= latency.Microseconds() {
			t.Errorf("statement %d: %dµs in SQLite, %dµs waited; want the wait apart", s.Seq, s.Micros, s.WaitMicros)
		}
	}

	cfg.latency = 0
	v = cfg.run(Check{Name: "fast", Data: []string{"budget"}}, statements(4))
	if v.Waited != 0 || v.DBTime <= 0 {
		t.Errorf("without latency: Waited %v, DBTime %v", time.Duration(v.Waited), time.Duration(v.DBTime))
	}
}
