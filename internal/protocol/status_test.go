package protocol

import (
	"strings"
	"testing"
)

func TestWorse(t *testing.T) {
	tests := []struct{ a, b, want Status }{
		{StatusPass, StatusFail, StatusFail},
		{StatusFail, StatusPass, StatusFail},
		{StatusFail, StatusError, StatusError},
		{StatusTimeout, StatusError, StatusTimeout},
		{StatusPanic, StatusTimeout, StatusPanic},
		{StatusBroken, StatusPanic, StatusBroken},
	}
	for _, tt := range tests {
		if got := Worse(tt.a, tt.b); got != tt.want {
			t.Errorf("Worse(%s, %s) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestJudged(t *testing.T) {
	for _, s := range []Status{StatusPass, StatusFail, StatusError, StatusPanic, StatusTimeout, StatusBroken} {
		if !s.Judged() {
			t.Errorf("%s is a verdict's status", s)
		}
	}
	for _, s := range []Status{StatusCrashed, StatusStopped, StatusNotRun, StatusCompileError, "forged"} {
		if s.Judged() {
			t.Errorf("%s is not a verdict's status", s)
		}
	}
}

func TestKindStatus(t *testing.T) {
	tests := []struct {
		kind   Kind
		want   Status
		output bool
	}{
		{KindResult, StatusFail, true},
		{KindState, StatusFail, true},
		{KindBudget, StatusFail, false},
		{KindError, StatusError, true},
		{KindPanic, StatusPanic, true},
		{KindTimeout, StatusTimeout, true},
		{KindBroken, StatusBroken, true},
	}
	for _, tt := range tests {
		if got := tt.kind.Status(); got != tt.want {
			t.Errorf("%s.Status() = %s, want %s", tt.kind, got, tt.want)
		}
		if got := tt.kind.Output(); got != tt.output {
			t.Errorf("%s.Output() = %v, want %v", tt.kind, got, tt.output)
		}
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"one line", "Your code panicked: boom", "Your code panicked: boom"},
		{"first of several", "ran 11 statements\nthe rest", "ran 11 statements"},
		{"a colon takes the next line", "ExpensesInCategory returned the wrong result:\n  missing: {ID: 5}\n  more", "ExpensesInCategory returned the wrong result: missing: {ID: 5}"},
		{"a colon at the end", "returned the wrong result:", "returned the wrong result"},
	}
	for _, tt := range tests {
		if got := Summarize(tt.in); got != tt.want {
			t.Errorf("%s: Summarize = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFailureText(t *testing.T) {
	f := Failure{Data: "budget-variant", Kind: KindResult, Message: "wrong rows"}
	if got := f.Text(); got != "wrong rows" {
		t.Errorf("Text() = %q", got)
	}
	f.VariantOnly = true
	if got := f.Text(); !strings.Contains(got, "budget-variant") || !strings.HasSuffix(got, "\nwrong rows") {
		t.Errorf("a variant-only failure's Text() = %q", got)
	}
}

func TestCounted(t *testing.T) {
	for n, want := range map[int]string{0: "0 statements", 1: "1 statement", 2: "2 statements", 1001: "1,001 statements"} {
		if got := Counted(n, "statement"); got != want {
			t.Errorf("Counted(%d) = %q, want %q", n, got, want)
		}
	}
}
