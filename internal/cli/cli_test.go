package cli

import (
	"flag"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/protocol"
)

func TestInterleave(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"flags first", []string{"-v", "7"}, []string{"-v", "--", "7"}},
		{"flags after the lesson", []string{"7", "-v"}, []string{"-v", "--", "7"}},
		{"a flag with a value", []string{"7", "-timeout", "2s"}, []string{"-timeout", "2s", "--", "7"}},
		{"a flag with =", []string{"7", "-timeout=2s", "-v"}, []string{"-timeout=2s", "-v", "--", "7"}},
		{"flags alone", []string{"-v"}, []string{"-v"}},
		{"double dash ends flags", []string{"7", "--", "-v"}, []string{"--", "7", "-v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.Bool("v", false, "")
			fs.Duration("timeout", 0, "")
			if got := interleave(fs, tt.args); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("interleave(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	tests := map[string]string{
		"plain text\n\tindented": "plain text\n\tindented",
		"\x1b[2J\x1b[Hfake":      `\x1b[2J\x1b[Hfake`,
		"bell\a and é":           `bell\x07 and é`,
	}
	for in, want := range tests {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four five six", 9)
	want := "one two\nthree\nfour five\nsix"
	if got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap("a\nb", 10); got != "a\nb" {
		t.Errorf("wrap kept no line breaks: %q", got)
	}
}

func TestShortFrame(t *testing.T) {
	tests := map[string]string{
		"workbook/lessons/07-n-plus-one.SpendingReport(0xc000010000)":              "SpendingReport",
		"workbook/lessons/07-n-plus-one.SpendingReport.func1()":                    "SpendingReport.func1",
		"created by workbook/lessons/07-n-plus-one.SpendingReport in goroutine 22": "the go statement in SpendingReport",
	}
	for in, want := range tests {
		if got := shortFrame(in); got != want {
			t.Errorf("shortFrame(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColumnWidths(t *testing.T) {
	tests := []struct {
		name             string
		lessons          []*lesson.Lesson
		wantName, wantTl int
	}{
		{"none", nil, 0, 0},
		{"the longest of each", []*lesson.Lesson{
			{Name: "orphans", Title: "Orphans: removed means deleted"},
			{Name: "association-objects", Title: "Short"},
		}, len("association-objects"), len("Orphans: removed means deleted")},
		{"runes, not bytes", []*lesson.Lesson{{Name: "café", Title: "Déjà vu"}}, 4, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, tl := columnWidths(tt.lessons)
			if n != tt.wantName || tl != tt.wantTl {
				t.Errorf("columnWidths = %d, %d; want %d, %d", n, tl, tt.wantName, tt.wantTl)
			}
		})
	}
}

func TestCountText(t *testing.T) {
	tests := []struct {
		v    *protocol.Verdict
		want string
	}{
		{nil, ""},
		{&protocol.Verdict{Statements: 1}, "1 statement"},
		{&protocol.Verdict{Statements: 11, MaxStatements: 2}, "11 statements (budget 2)"},
		// The line counts the data set whose failure is explained.
		{&protocol.Verdict{Statements: 7, MaxStatements: 2, Failures: []protocol.Failure{
			{Data: "budget", Statements: 5}, {Data: "budget-variant", Statements: 7}}},
			"5 statements (budget 2) on budget, 7 on another data set"},
		{&protocol.Verdict{Statements: 5, MaxStatements: 2, Failures: []protocol.Failure{{Data: "budget", Statements: 5}}},
			"5 statements (budget 2)"},
	}
	for _, tt := range tests {
		if got := countText(tt.v); got != tt.want {
			t.Errorf("countText(%+v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestMainUsageErrors(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"frob"}, exitUsage, `unknown command "frob"`},
		{[]string{"help", "frob"}, exitUsage, `unknown command "frob"`},
		{[]string{"run", "-bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"list", "extra"}, exitUsage, "list takes no arguments"},
		{[]string{"dev"}, exitUsage, "name a tool"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut strings.Builder
			code := Main(tt.args, &out, &errOut)
			if code != tt.wantCode || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("Main(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.wantCode, tt.wantErr)
			}
		})
	}
}

func TestNextAfter(t *testing.T) {
	when := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		from    int
		passed  []int // passed once
		failing []int // of those, failing now
		want    int   // 0: none
	}{
		{"the next one", 1, nil, nil, 2},
		{"past those passed", 1, []int{2, 3}, nil, 4},
		{"past those passed that fail now", 2, []int{1, 3}, []int{1, 3}, 4},
		{"back to the first never passed", 4, []int{2, 3}, nil, 1},
		{"none left", 4, []int{1, 2, 3}, []int{2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			var ls []*lesson.Lesson
			for i := 1; i <= 4; i++ {
				ls = append(ls, &lesson.Lesson{Number: i, Name: fmt.Sprintf("l%d", i)})
			}
			e := &env{root: root, lessons: ls}
			st, err := progress.Load(root)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range tt.passed {
				st.Record(ls[n-1].ID(), true, when)
			}
			for _, n := range tt.failing {
				st.Record(ls[n-1].ID(), false, when.Add(time.Hour))
			}
			got := 0
			if l := e.nextAfter(ls[tt.from-1], st); l != nil {
				got = l.Number
			}
			if got != tt.want {
				t.Errorf("nextAfter(lesson %d) = lesson %d, want %d", tt.from, got, tt.want)
			}
		})
	}
}
