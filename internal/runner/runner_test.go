package runner

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

func TestCollect(t *testing.T) {
	l := &lesson.Lesson{Checks: []lesson.Check{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	pass := &protocol.Verdict{Check: "a", Status: protocol.StatusPass}
	records := []protocol.Record{
		{Event: "start", Check: "a"},
		{Event: "verdict", Check: "a", Verdict: pass},
		{Event: "start", Check: "b"},
		{Event: "verdict", Check: "zz", Verdict: &protocol.Verdict{Check: "zz"}},
	}
	got, undeclared := collect(l, records)
	if len(got) != 3 || got[0].Verdict != pass || got[1].Verdict != nil || !got[1].Started || got[2].Started {
		t.Errorf("collect = %+v", got)
	}
	if !reflect.DeepEqual(undeclared, []string{"zz"}) {
		t.Errorf("undeclared = %v", undeclared)
	}
}

func TestEvents(t *testing.T) {
	stream := `{"Action":"build-output","ImportPath":"workbook/lessons/07-n-plus-one [workbook/lessons/07-n-plus-one.test]","Output":"# workbook/lessons/07-n-plus-one\n"}
{"Action":"build-output","ImportPath":"workbook/lessons/07-n-plus-one","Output":"lessons/07-n-plus-one/report.go:7:9: undefined: userz\n"}
{"Action":"build-fail","ImportPath":"workbook/lessons/07-n-plus-one"}
not json at all
{"Action":"start","Package":"workbook/lessons/07-n-plus-one"}
{"Action":"output","Package":"p","Test":"TestReport10","Output":"=== RUN   TestReport10\n"}
{"Action":"output","Package":"p","Test":"TestReport10","Output":"hello from the learner\n"}
{"Action":"output","Package":"p","Output":"panic: boom\n"}
{"Action":"output","Package":"p","Output":"goroutine 7 [running]:\n"}
`
	ev := newEvents()
	started := false
	if err := ev.read(strings.NewReader(stream), func() { started = true }); err != nil {
		t.Fatal(err)
	}
	if !started || !ev.ran {
		t.Error("the start event was missed")
	}
	if got := ev.buildErrors("/root"); !reflect.DeepEqual(got, []string{"lessons/07-n-plus-one/report.go:7:9: undefined: userz"}) {
		t.Errorf("buildErrors = %q", got)
	}
	if got := ev.tail(10); !reflect.DeepEqual(got, []string{"panic: boom", "goroutine 7 [running]:"}) {
		t.Errorf("tail = %q", got)
	}
}

func TestPassed(t *testing.T) {
	pass := &protocol.Verdict{Status: protocol.StatusPass}
	fail := &protocol.Verdict{Status: protocol.StatusFail}
	tests := []struct {
		name string
		o    Outcome
		want bool
	}{
		{"all pass", Outcome{Checks: []CheckOutcome{{Verdict: pass}, {Verdict: pass}}}, true},
		{"one fails", Outcome{Checks: []CheckOutcome{{Verdict: pass}, {Verdict: fail}}}, false},
		{"one never ran", Outcome{Checks: []CheckOutcome{{Verdict: pass}, {}}}, false},
		{"no checks", Outcome{}, false},
		{"build error", Outcome{Build: []string{"x"}, Checks: []CheckOutcome{{Verdict: pass}}}, false},
		{"stopped", Outcome{Stopped: true, Checks: []CheckOutcome{{Verdict: pass}}}, false},
		{"flooded", Outcome{Flooded: true, Checks: []CheckOutcome{{Verdict: pass}}}, false},
	}
	for _, tt := range tests {
		if got := tt.o.Passed(); got != tt.want {
			t.Errorf("%s: Passed() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFloodIsNoticedOnce(t *testing.T) {
	line := `{"Action":"output","Package":"p","Test":"TestReport10","Output":"0123456789\n"}` + "\n"
	tests := []struct {
		name      string
		lines     int
		max       int64
		wantFlood int
	}{
		{"under the limit", 5, 100, 0},
		{"at the limit", 10, 110, 0},
		{"over the limit", 11, 110, 1},
		{"far over it, still once", 500, 110, 1},
		{"no limit", 500, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := newEvents()
			ev.maxOutput = tt.max
			floods := 0
			ev.onFlood = func() { floods++ }
			if err := ev.read(strings.NewReader(strings.Repeat(line, tt.lines)), func() {}); err != nil {
				t.Fatal(err)
			}
			if floods != tt.wantFlood {
				t.Errorf("onFlood called %d times, want %d", floods, tt.wantFlood)
			}
		})
	}
}

func TestCrashExcerpt(t *testing.T) {
	tests := []struct {
		name   string
		output []string
		n      int
		want   []string
	}{
		{"from the panic", []string{"=== RUN   TestX", "log line", "panic: boom", "goroutine 1", "main.f()"}, 2, []string{"panic: boom", "goroutine 1"}},
		{"the last lines without framing", []string{"a", "", "b\r", "--- FAIL: TestX (0.00s)", "c", "FAIL"}, 2, []string{"b", "c"}},
		{"a fatal error", []string{"x", "fatal error: all goroutines are asleep - deadlock!"}, 5, []string{"fatal error: all goroutines are asleep - deadlock!"}},
		{"nothing", nil, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CrashExcerpt(tt.output, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("CrashExcerpt = %q, want %q", got, tt.want)
			}
		})
	}
}
