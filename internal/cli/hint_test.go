package cli

import (
	"slices"
	"testing"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

func TestFailingChecks(t *testing.T) {
	check := func(name string, s protocol.Status, started bool) runner.CheckOutcome {
		return runner.CheckOutcome{Check: lesson.Check{Name: name}, Status: s, Started: started}
	}
	tests := []struct {
		name string
		out  *runner.Outcome
		want []string
	}{
		{"all pass", &runner.Outcome{Checks: []runner.CheckOutcome{
			check("a", protocol.StatusPass, true), check("b", protocol.StatusPass, true)}}, nil},
		{"failures and crashes, in the declared order", &runner.Outcome{Checks: []runner.CheckOutcome{
			check("a", protocol.StatusPass, true), check("b", protocol.StatusFail, true),
			check("c", protocol.StatusCrashed, true), check("d", protocol.StatusError, true)}}, []string{"b", "c", "d"}},
		{"checks that never started are left out", &runner.Outcome{Checks: []runner.CheckOutcome{
			check("a", protocol.StatusFail, true), check("b", protocol.StatusNotRun, false)}}, []string{"a"}},
		{"a compile error names no check", &runner.Outcome{Build: []string{"x.go:1: oops"}, Checks: []runner.CheckOutcome{
			check("a", protocol.StatusCompileError, false)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := failingChecks(tt.out); !slices.Equal(got, tt.want) {
				t.Errorf("failingChecks = %q, want %q", got, tt.want)
			}
		})
	}
}
