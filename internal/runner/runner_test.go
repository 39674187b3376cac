package runner

import (
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

func TestCollect(t *testing.T) {
	l := &lesson.Lesson{Number: 1, Name: "x", Checks: []lesson.Check{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}}
	pass := &protocol.Verdict{Check: "a", Status: protocol.StatusPass}
	records := []protocol.Record{
		{Event: protocol.EventStart, Check: "a"},
		{Event: protocol.EventVerdict, Check: "a", Verdict: pass},
		{Event: protocol.EventVerdict, Check: "a", Verdict: &protocol.Verdict{Check: "a", Status: protocol.StatusFail}},
		{Event: protocol.EventStart, Check: "b"},
		{Event: protocol.EventVerdict, Check: "zz", Verdict: &protocol.Verdict{Check: "zz", Status: protocol.StatusPass}},
		{Event: protocol.EventVerdict, Check: "d", Verdict: &protocol.Verdict{Check: "d", Status: "crashed"}},
		{Event: protocol.EventRefused, Check: "c", Note: "called from the learner's file"},
	}
	tests := []struct {
		name    string
		stopped bool
		want    []protocol.Status
	}{
		{"ended", false, []protocol.Status{protocol.StatusPass, protocol.StatusCrashed, protocol.StatusNotRun, protocol.StatusBroken}},
		{"stopped", true, []protocol.Status{protocol.StatusPass, protocol.StatusStopped, protocol.StatusNotRun, protocol.StatusBroken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Outcome{Lesson: l, Stopped: tt.stopped}
			o.collect(records, true)
			var got []protocol.Status
			for _, c := range o.Checks {
				got = append(got, c.Status)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("statuses = %v, want %v", got, tt.want)
			}
			if o.Checks[0].Verdict != pass || !o.Checks[1].Started || o.Checks[2].Started {
				t.Errorf("checks = %+v", o.Checks)
			}
			if !reflect.DeepEqual(o.Undeclared, []string{"zz"}) {
				t.Errorf("undeclared = %v", o.Undeclared)
			}
			want := Forgery{Refused: []Refusal{{"c", "called from the learner's file"}}, Repeated: []string{"a"}}
			if !reflect.DeepEqual(o.Forged, want) || !o.Forged.Any() {
				t.Errorf("forged = %+v, want %+v", o.Forged, want)
			}
		})
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
	started := false
	ev := &events{json: true, onStart: func() { started = true }}
	if err := ev.read(strings.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
	if !started || !ev.ran {
		t.Error("the start event was missed")
	}
	if got := ev.buildErrors(); !reflect.DeepEqual(got, []string{"lessons/07-n-plus-one/report.go:7:9: undefined: userz"}) {
		t.Errorf("buildErrors = %q", got)
	}
	if got := ev.tail(10); !reflect.DeepEqual(got, []string{"panic: boom", "goroutine 7 [running]:"}) {
		t.Errorf("tail = %q", got)
	}
}

func TestPassed(t *testing.T) {
	passed := CheckOutcome{Status: protocol.StatusPass, Verdict: &protocol.Verdict{Status: protocol.StatusPass}}
	failed := CheckOutcome{Status: protocol.StatusFail, Verdict: &protocol.Verdict{Status: protocol.StatusFail}}
	tests := []struct {
		name string
		o    Outcome
		want bool
	}{
		{"all pass", Outcome{Checks: []CheckOutcome{passed, passed}}, true},
		{"one fails", Outcome{Checks: []CheckOutcome{passed, failed}}, false},
		{"one never ran", Outcome{Checks: []CheckOutcome{passed, {Status: protocol.StatusNotRun}}}, false},
		{"no checks", Outcome{}, false},
		{"build error", Outcome{Build: []string{"x"}, Checks: []CheckOutcome{passed}}, false},
		{"stopped", Outcome{Stopped: true, Checks: []CheckOutcome{passed}}, false},
		{"flooded", Outcome{Flooded: true, Checks: []CheckOutcome{passed}}, false},
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
			floods := 0
			ev := &events{json: true, maxOutput: tt.max, onFlood: func() { floods++ }}
			if err := ev.read(strings.NewReader(strings.Repeat(line, tt.lines))); err != nil {
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
			if got := crashExcerpt(tt.output, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("crashExcerpt = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLineWriter(t *testing.T) {
	var got []string
	w := &lineWriter{line: func(b []byte) { got = append(got, string(b)) }}
	for _, p := range []string{"one\ntw", "o\n", "", "three", "\nfour"} {
		w.Write([]byte(p))
	}
	w.flush()
	if want := []string{"one", "two", "three", "four"}; !slices.Equal(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

func TestUnsignedLastVerdictCounts(t *testing.T) {
	l := &lesson.Lesson{Number: 1, Name: "x", Checks: []lesson.Check{{Name: "a"}}}
	forged := &protocol.Verdict{Check: "a", Status: protocol.StatusPass}
	real := &protocol.Verdict{Check: "a", Status: protocol.StatusFail}
	// The learner's code writes first, as its package initializes; the
	// checker's own verdict comes after.
	records := []protocol.Record{
		{Event: protocol.EventVerdict, Check: "a", Verdict: forged},
		{Event: protocol.EventStart, Check: "a"},
		{Event: protocol.EventVerdict, Check: "a", Verdict: real},
	}
	o := &Outcome{Lesson: l}
	o.collect(records, false)
	if o.Checks[0].Verdict != real || o.Checks[0].Status != protocol.StatusFail {
		t.Errorf("an unsigned run took %+v, want the checker's own, last verdict", o.Checks[0])
	}
}

func TestKeptOutputIsBounded(t *testing.T) {
	ev := &events{}
	long := strings.Repeat("x", 1<<20)
	for range 1000 {
		ev.line([]byte(long))
	}
	ev.line([]byte("panic: boom"))
	total := 0
	for _, l := range ev.output {
		total += len(l)
	}
	if total > keepBytes+keptLine || len(ev.output) > keepLines {
		t.Errorf("kept %d lines, %d bytes; want at most %d lines, about %d bytes", len(ev.output), total, keepLines, keepBytes)
	}
	if got := ev.tail(5); len(got) == 0 || got[0] != "panic: boom" {
		t.Errorf("the last line was not kept: %q", got)
	}
}

// read gives every line of r to e, as a run does.
func (e *events) read(r io.Reader) error {
	w := &lineWriter{line: e.line}
	_, err := io.Copy(w, r)
	w.flush()
	return err
}
