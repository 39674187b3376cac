package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

func TestShortDuration(t *testing.T) {
	tests := map[time.Duration]string{
		0:                        "0s",
		41 * time.Microsecond:    "41µs",
		1234 * time.Microsecond:  "1.2ms",
		35400 * time.Microsecond: "35ms",
		2100 * time.Millisecond:  "2.1s",
		95 * time.Second:         "1m35s",
	}
	for d, want := range tests {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestByteSize(t *testing.T) {
	tests := map[int64]string{
		100:     "100 bytes",
		2048:    "2 kB",
		8 << 20: "8 MB",
		3 << 19: "1.5 MB",
	}
	for n, want := range tests {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// sized returns the outcome of a lesson with a check on each data set,
// each running the given number of statements.
func sized(data []string, statements []int) *runner.Outcome {
	o := &runner.Outcome{Lesson: &lesson.Lesson{}}
	for i, d := range data {
		o.Checks = append(o.Checks, runner.CheckOutcome{
			Check:   lesson.Check{Name: "check-" + d},
			Verdict: &protocol.Verdict{Status: protocol.StatusPass, LogData: d, Statements: statements[i], DBTime: protocol.Duration(time.Duration(statements[i]) * time.Millisecond)},
		})
	}
	return o
}

func TestSizePoints(t *testing.T) {
	tests := []struct {
		name      string
		o         *runner.Outcome
		wantSizes []int
	}{
		{"three sizes, sorted", sized([]string{"budget-100", "budget-10", "budget-1000"}, []int{101, 11, 1001}), []int{10, 100, 1000}},
		{"one size is no chart", sized([]string{"budget-10"}, []int{11}), nil},
		{"unsized data sets are no chart", sized([]string{"budget", "bank"}, []int{1, 1}), nil},
		{"two checks on one size count once", sized([]string{"budget-10", "budget-10"}, []int{2, 2}), nil},
		{"a check that never finished is left out", &runner.Outcome{Checks: []runner.CheckOutcome{{Check: lesson.Check{Name: "x"}}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sizes []int
			for _, p := range sizePoints(tt.o) {
				sizes = append(sizes, p.size)
			}
			if len(sizes) != len(tt.wantSizes) {
				t.Fatalf("sizes = %v, want %v", sizes, tt.wantSizes)
			}
			for i := range sizes {
				if sizes[i] != tt.wantSizes[i] {
					t.Errorf("sizes = %v, want %v", sizes, tt.wantSizes)
				}
			}
		})
	}
}

func TestChart(t *testing.T) {
	tests := []struct {
		name       string
		statements []int
		fancy      bool
		want       string
	}{
		{
			name:       "1 + N grows with the data",
			statements: []int{11, 101, 1001},
			want: "" +
				"  budget-10   |#                                       |    11  11ms\n" +
				"  budget-100  |####                                    |   101  101ms\n" +
				"  budget-1000 |########################################| 1,001  1.0s\n",
		},
		{
			name:       "the fix stays flat, and no bar is invisible",
			statements: []int{2, 2, 2},
			want: "" +
				"  budget-10   |#                                       | 2  2.0ms\n" +
				"  budget-100  |#                                       | 2  2.0ms\n" +
				"  budget-1000 |#                                       | 2  2.0ms\n",
		},
		{
			name:       "block characters on a terminal",
			statements: []int{11, 101, 1001},
			fancy:      true,
			want: "" +
				"  budget-10   |█                                       |    11  11ms\n" +
				"  budget-100  |████                                    |   101  101ms\n" +
				"  budget-1000 |████████████████████████████████████████| 1,001  1.0s\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := sized([]string{"budget-10", "budget-100", "budget-1000"}, tt.statements)
			if got := chart(sizePoints(o), tt.fancy); got != tt.want {
				t.Errorf("chart:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestWriteLog(t *testing.T) {
	tests := []struct {
		name    string
		log     []protocol.Statement
		dropped int
		plans   []protocol.Plan
		all     bool
		want    []string
	}{
		{
			name: "every entry with its time, latency included",
			log: []protocol.Statement{
				{Seq: 1, Kind: "statement", Line: "1. SELECT id FROM users  → 10 rows", Micros: 41},
				{Seq: 2, Kind: "statement", Line: "2. SELECT 1  [7]  → 1 row", Micros: 12, WaitMicros: 2000},
			},
			want: []string{
				"       41µs  1. SELECT id FROM users  → 10 rows",
				"      2.0ms  2. SELECT 1  [7]  → 1 row",
			},
		},
		{
			name: "a gap says how many were not kept",
			log: []protocol.Statement{
				{Seq: 1, Line: "1. A", Micros: 1},
				{Seq: 5, Line: "5. B", Micros: 1},
			},
			dropped: 7,
			want: []string{
				"        1µs  1. A",
				"             … 3 statements not kept …",
				"        1µs  5. B",
				"             … and 7 statements more, counted but not recorded",
			},
		},
		{
			name: "control characters from learner values are shown as escapes",
			log:  []protocol.Statement{{Seq: 1, Line: "1. SELECT '\x1b[2J'", Micros: 1}},
			want: []string{`        1µs  1. SELECT '\x1b[2J'`},
		},
		{name: "no statements", want: []string{"  (no statements)"}},
		{
			name: "the whole SQL, wrapped, never cut",
			log: []protocol.Statement{{Seq: 1, Kind: "statement", Micros: 3, Query: true, Returned: 5,
				SQL:    "SELECT u.name, c.name AS category, sum(e.amount_cents) AS total_cents FROM users u JOIN expenses e ON e.user_id = u.id JOIN categories c ON c.id = e.category_id GROUP BY u.id, c.id ORDER BY u.name, c.name",
				Shape:  "SELECT u.name … (shape)",
				Result: "5 rows",
				Rows:   [][]string{{"'Alice'", "'Food'", "7500"}, {"'Alice'", "'Rent'", "120000"}},
				Site:   &protocol.Site{File: "lessons/05-join-aggregate/report.go", Line: 21, Function: "TotalsByCategory"},
			}},
			want: []string{
				"        3µs  1. SELECT u.name, c.name AS category, sum(e.amount_cents) AS total_cents FROM users u",
				"                JOIN expenses e ON e.user_id = u.id JOIN categories c ON c.id = e.category_id GROUP",
				"                BY u.id, c.id ORDER BY u.name, c.name → 5 rows",
				"                rows: ('Alice', 'Food', 7500), ('Alice', 'Rent', 120000), … 3 more",
				"                from lessons/05-join-aggregate/report.go:21 in TotalsByCategory",
			},
		},
		{
			name: "a long run of one shape is cut, with its plan once",
			log:  run("SELECT * FROM expenses WHERE user_id = ?", 1, 8),
			plans: []protocol.Plan{{Seq: 1, Steps: []protocol.PlanStep{{Detail: "SCAN expenses", Scan: "expenses",
				Index: "CREATE INDEX expenses_user_id ON expenses(user_id)"}}}},
			want: []string{
				"        1µs  1. SELECT * FROM expenses WHERE user_id = ? [1] → 1 row",
				"                from report.go:9 in Report, inside the loop over users (line 7)",
				"                plan:",
				"                  SCAN expenses   ← reads every row of expenses",
				"                  a SEARCH instead: CREATE INDEX expenses_user_id ON expenses(user_id)",
				"        1µs  2. (the SQL of statement 1) [2] → 1 row",
				"        1µs  3. (the SQL of statement 1) [3] → 1 row",
				"             … 4 more of the same shape (4–7); -explain=all shows them …",
				"        1µs  8. (the SQL of statement 1) [8] → 1 row",
			},
		},
		{
			name: "all shows every statement of a run",
			log:  run("SELECT 1 WHERE ? > 0", 1, 6),
			all:  true,
			want: []string{
				"        1µs  1. SELECT 1 WHERE ? > 0 [1] → 1 row",
				"                from report.go:9 in Report, inside the loop over users (line 7)",
				"        1µs  2. (the SQL of statement 1) [2] → 1 row",
				"        1µs  3. (the SQL of statement 1) [3] → 1 row",
				"        1µs  4. (the SQL of statement 1) [4] → 1 row",
				"        1µs  5. (the SQL of statement 1) [5] → 1 row",
				"        1µs  6. (the SQL of statement 1) [6] → 1 row",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			writeLog(&b, &protocol.Verdict{Log: tt.log, LogDropped: tt.dropped, Plans: tt.plans}, tt.all)
			got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("writeLog:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// run returns n statements of sql, numbered from first, each with its
// number as its argument and sent from the same line inside a loop.
func run(sql string, first, n int) []protocol.Statement {
	site := &protocol.Site{File: "report.go", Line: 9, Function: "Report", Loop: "the loop over users", LoopLine: 7}
	var out []protocol.Statement
	for i := 0; i < n; i++ {
		out = append(out, protocol.Statement{Seq: first + i, Kind: "statement", Micros: 1, SQL: sql, Shape: sql,
			Args: []string{fmt.Sprint(first + i)}, Result: "1 row", Query: true, Returned: 1, Site: site})
	}
	return out
}

func TestExplainSummary(t *testing.T) {
	tests := []struct {
		name string
		v    protocol.Verdict
		want string
	}{
		{
			name: "one statement",
			v:    protocol.Verdict{LogStatements: 1, DBTime: protocol.Duration(300 * time.Microsecond)},
			want: "1 statement, 300µs in SQLite",
		},
		{
			name: "with latency",
			v: protocol.Verdict{LogStatements: 1001,
				DBTime: protocol.Duration(30 * time.Millisecond), Waited: protocol.Duration(2 * time.Second)},
			want: "1,001 statements, 30ms in SQLite + 2.0s of latency",
		},
	}
	for _, tt := range tests {
		if got := explainSummary(&tt.v); got != tt.want {
			t.Errorf("%s: explainSummary = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRenderExplain(t *testing.T) {
	var out strings.Builder
	v := &view{w: &out, latency: 2 * time.Millisecond}
	o := &runner.Outcome{Checks: []runner.CheckOutcome{
		{Check: lesson.Check{Name: "ran"}, Verdict: &protocol.Verdict{LogData: "budget", LogStatements: 1,
			Log: []protocol.Statement{{Seq: 1, Kind: "statement", Line: "1. SELECT 1  → 1 row", Micros: 5}}}},
		{Check: lesson.Check{Name: "broken"}, Verdict: &protocol.Verdict{Status: protocol.StatusBroken}},
		{Check: lesson.Check{Name: "never-finished"}},
	}}
	v.renderExplain(o)
	want := []string{
		"Every statement your code ran, check by check (on the check's own data set):",
		"(each time includes 2ms of simulated network latency)",
		"── ran, on budget: 1 statement, 0s in SQLite",
		"        5µs  1. SELECT 1  → 1 row",
		"── broken",
		"  (no statements: the check did not run)",
	}
	rest := out.String()
	for _, w := range want {
		i := strings.Index(rest, w+"\n")
		if i < 0 {
			t.Fatalf("missing, or out of order: %q in:\n%s", w, out.String())
		}
		rest = rest[i+len(w):]
	}
	if strings.Contains(out.String(), "never-finished") {
		t.Errorf("a check without a verdict is listed:\n%s", out.String())
	}
}
