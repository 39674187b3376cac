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
		{"first of several", "ran 11 statements\n  1. SELECT 1\n  2. SELECT 2", "ran 11 statements"},
		{"a sentence that ends on the first line", "Your code ran 11 statements.\nThe budget is 2.", "Your code ran 11 statements."},
		{"a sentence wrapped over lines",
			"The Owner of expense 4 comes back with no Expenses, so from the expense you reach a user\nwho seems to have spent nothing. Go has no lazy loading to fill the list in later: load the\nowner with all of their expenses.",
			"The Owner of expense 4 comes back with no Expenses, so from the expense you reach a user who seems to have spent nothing."},
		{"a wrapped sentence ending in a colon", "Every expense must have as its Owner the very *User that holds it\n(e.Owner == u), but:\n    expense 1: a copy\n    expense 2: a copy",
			"Every expense must have as its Owner the very *User that holds it (e.Owner == u), but: expense 1: a copy"},
		{"a blank line ends it", "no sentence here\n\nThe next paragraph.", "no sentence here"},
		{"a line indented further ends it", "Deleting Alice was refused\n    FOREIGN KEY constraint failed", "Deleting Alice was refused"},
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
