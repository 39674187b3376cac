package protocol

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Verdict is the outcome of one check.
type Verdict struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	// Output is the part for results and table state; Budget the part for
	// the statement count.
	Output Part `json:"output"`
	Budget Part `json:"budget"`
	// Statements is the most statements the learner's code ran on any data
	// set of the check; MaxStatements is the budget (0: none).
	Statements    int `json:"statements"`
	MaxStatements int `json:"max_statements,omitempty"`
	// Data lists the data sets the check ran on, the lesson's own first.
	Data     []string  `json:"data"`
	Failures []Failure `json:"failures,omitempty"`
	// Log is the statement log of one data set, LogData: the one that
	// broke the budget, or else the first. LogStatements counts every
	// statement the learner's code ran there, also those the Log leaves
	// out (LogDropped of them were counted and not recorded at all).
	Log           []Statement `json:"log,omitempty"`
	LogData       string      `json:"log_data,omitempty"`
	LogStatements int         `json:"log_statements"`
	LogDropped    int         `json:"log_dropped,omitempty"`
	// DBTime is the time the statements of LogData spent in SQLite, and
	// Waited the simulated round trips they waited (workbook run
	// --latency), every statement counted, also those the Log leaves out.
	DBTime  Duration `json:"db_time,omitempty"`
	Waited  Duration `json:"waited,omitempty"`
	Elapsed Duration `json:"elapsed"`
	// Plans is how SQLite ran each shape of statement in Log, when the run
	// asked for plans (workbook run -explain).
	Plans []Plan `json:"plans,omitempty"`
	// Timings are the figures of the check's speed and growth checks, on
	// each data set they ran on, whether they held or not.
	Timings []Timing `json:"timings,omitempty"`
	// Score is the mutation score of a learner's contract (lesson 17): the
	// worst of its data sets'.
	Score *Score `json:"score,omitempty"`
}

// TimingKind tells a speed check from a growth check.
type TimingKind string

// The kinds of timing.
const (
	// TimingSpeed compares the learner's code with a reference at one size.
	TimingSpeed TimingKind = "speed"
	// TimingGrowth compares how much longer each takes on larger data.
	TimingGrowth TimingKind = "growth"
)

// Timing is what a speed or growth check measured: the medians of Runs
// runs each of the learner's code and the reference, in turn, of Clock
// ("CPU time").
type Timing struct {
	Kind  TimingKind `json:"kind"`
	Data  string     `json:"data"`
	Runs  int        `json:"runs"`
	Clock string     `json:"clock"`
	// Learner and Reference are the medians on Data.
	Learner   Duration `json:"learner"`
	Reference Duration `json:"reference"`
	// For a speed check, Ratio is Learner over Reference, and Limit the
	// most it may be.
	Ratio float64 `json:"ratio,omitempty"`
	Limit float64 `json:"limit"`
	// For a growth check, From is the smaller data set, LearnerFrom and
	// ReferenceFrom the medians on it, and LearnerGrowth and
	// ReferenceGrowth how many times longer each took on Data; the
	// learner's may be at most Limit times the reference's.
	From            string   `json:"from,omitempty"`
	LearnerFrom     Duration `json:"learner_from,omitempty"`
	ReferenceFrom   Duration `json:"reference_from,omitempty"`
	LearnerGrowth   float64  `json:"learner_growth,omitempty"`
	ReferenceGrowth float64  `json:"reference_growth,omitempty"`
	Held            bool     `json:"held"`
}

// Passed reports whether the check passed.
func (v *Verdict) Passed() bool { return v.Status.Passed() }

// Failure is one thing a check found wrong, on one data set.
type Failure struct {
	// Data is the data set the check ran on; empty when the check could not
	// start on any.
	Data string `json:"data"`
	Kind Kind   `json:"kind"`
	// Summary says in one line what went wrong, for a list of failures.
	Summary string `json:"summary"`
	// Message explains the failure to the learner in full, in plain text;
	// it begins with what Summary says.
	Message string `json:"message"`
	// VariantOnly is set when the check passed on the lesson's own data
	// and failed on Data, a variant the lesson never shows: its ids and
	// rows are none the learner has seen.
	VariantOnly bool `json:"variant_only,omitempty"`
	// OrderOnly is set when the result held the right rows in the wrong
	// order: the order was left to chance, which any data set can show.
	OrderOnly bool `json:"order_only,omitempty"`
	// AnyData is set when the failure does not depend on the data set it
	// was seen on (a result rewritten by a later call): it is never
	// introduced as the hidden data set's.
	AnyData bool `json:"any_data,omitempty"`
	// Statements is how many statements the learner's code ran on Data.
	Statements int `json:"statements"`
}

// Text returns the whole explanation of f as a learner reads it: Message,
// after a note on the hidden data set when only that failed.
func (f Failure) Text() string {
	if !f.VariantOnly {
		return f.Message
	}
	if f.OrderOnly {
		return fmt.Sprintf("(This passed on the lesson's data but not on %s, a data set the lesson never shows, with other rows and ids: on the lesson's data your order came out as asked by chance, and there it does not.)\n", f.Data) + f.Message
	}
	return fmt.Sprintf("(This passed on the lesson's data but not on %s, a data set the lesson never shows: its rows hold cases the lesson's data lacks, and no id, name or value read in the lesson's data holds there.)\n", f.Data) + f.Message
}

// Summarize returns the one-line summary of a message: its first sentence,
// on one line. A message's lines are wrapped by hand, so a sentence that
// goes on past the first line takes the lines that continue it (as indented
// as the first, none blank) up to where it ends. A first line that ends in
// a colon ("… returned the wrong result:"), which says little alone, takes
// the line that follows.
func Summarize(message string) string {
	lines := strings.Split(strings.TrimLeft(message, "\n"), "\n")
	indent := leadingSpace(lines[0])
	line := strings.TrimSpace(lines[0])
	next := 1
	for ; !endsSentence(line) && next < len(lines) && next <= maxSummaryLines; next++ {
		more := lines[next]
		if strings.TrimSpace(more) == "" || leadingSpace(more) != indent {
			break
		}
		more = strings.TrimSpace(more)
		if end := sentenceEnd(more); end > 0 {
			line += " " + more[:end]
			next++
			break
		}
		line += " " + more
	}
	if strings.HasSuffix(line, ":") && next < len(lines) {
		line += " " + strings.TrimSpace(lines[next])
	}
	return strings.TrimSuffix(line, ":")
}

// maxSummaryLines bounds the lines a summary joins after the first.
const maxSummaryLines = 6

// endsSentence reports whether line ends with the end of a sentence, or
// with a colon.
func endsSentence(line string) bool {
	return strings.HasSuffix(line, ".") || strings.HasSuffix(line, "?") || strings.HasSuffix(line, "!") || strings.HasSuffix(line, ":")
}

// sentenceEnd returns where the first sentence of line ends: just past
// its full stop, question or exclamation mark when another sentence
// follows on the line (a space, then a capital letter), or 0 when none
// ends there.
func sentenceEnd(line string) int {
	for i := 0; i+2 < len(line); i++ {
		switch line[i] {
		case '.', '?', '!':
			if line[i+1] == ' ' && unicode.IsUpper(rune(line[i+2])) {
				return i + 1
			}
		}
	}
	return 0
}

// leadingSpace returns how many spaces and tabs line starts with.
func leadingSpace(line string) int { return len(line) - len(strings.TrimLeft(line, " \t")) }

// EntryKind is what an entry of a statement log is.
type EntryKind string

// The kinds of statement log entry.
const (
	EntryStatement EntryKind = "statement"
	EntryBegin     EntryKind = "BEGIN"
	EntryCommit    EntryKind = "COMMIT"
	EntryRollback  EntryKind = "ROLLBACK"
)

// Statement is one entry of the statement log, as the command shows it.
type Statement struct {
	// Seq numbers the entries of a data set's log from 1; a gap is where
	// a long log was cut.
	Seq  int       `json:"seq"`
	Kind EntryKind `json:"kind"`
	Line string    `json:"line"` // formatted SQL, arguments and outcome
	// Micros is SQLite's own time.
	Micros int64 `json:"micros"`
	// WaitMicros is the simulated network round trip the statement waited
	// (workbook run --latency), apart from Micros.
	WaitMicros int64 `json:"wait_micros,omitempty"`
	// SQL is the whole text of a statement, as the program sent it; Args
	// its arguments, written as SQL literals; Result what it gave back ("3
	// rows", "1 row changed", "error: …"). Line holds all three, cut to
	// one line.
	SQL    string   `json:"sql,omitempty"`
	Shape  string   `json:"shape,omitempty"` // SQL with its values replaced by ?
	Args   []string `json:"args,omitempty"`
	Result string   `json:"result,omitempty"`
	// Rows holds the first rows a query returned, each value written as
	// an SQL literal, when the run keeps them (workbook run -explain);
	// Query is set for a statement that returns rows, Returned is how
	// many it returned in all.
	Rows     [][]string `json:"rows,omitempty"`
	Query    bool       `json:"query,omitempty"`
	Returned int64      `json:"returned,omitempty"`
	// Site is where the learner's code sent the statement from, when the
	// statement came from a file the learner edits.
	Site *Site `json:"site,omitempty"`
}

// Site is a place in the learner's code that sent a statement.
type Site struct {
	// File is the file's path from the workbook's root, Line the line.
	File string `json:"file"`
	Line int    `json:"line"`
	// Function is the function's name, without its package.
	Function string `json:"function"`
	// Loop describes the innermost loop around Line in that function, as
	// the learner wrote it ("the loop over users"), and LoopLine its
	// line; empty when the statement is not sent from inside a loop.
	Loop     string `json:"loop,omitempty"`
	LoopLine int    `json:"loop_line,omitempty"`
}

// Where says where the statement was sent from: "report.go:41 in
// SpendingReport".
func (s Site) Where() string {
	if s.Function == "" {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return fmt.Sprintf("%s:%d in %s", s.File, s.Line, s.Function)
}

// String says where the statement was sent from and, when it was, from
// inside which loop: "report.go:41 in SpendingReport, inside the loop over
// users (line 38)".
func (s Site) String() string {
	if s.Loop == "" {
		return s.Where()
	}
	return fmt.Sprintf("%s, inside %s (line %d)", s.Where(), s.Loop, s.LoopLine)
}

// Plan is how SQLite runs one shape of statement: EXPLAIN QUERY PLAN's
// answer for its first execution.
type Plan struct {
	// Shape is the statement with its values replaced by ?; Seq the first
	// statement of the log that has it.
	Shape string `json:"shape"`
	Seq   int    `json:"seq"`
	// Steps are the plan's lines, outermost first.
	Steps []PlanStep `json:"steps"`
	// Err says why the plan could not be read (the statement's tables
	// were gone by the time it was asked for, say).
	Err string `json:"err,omitempty"`
}

// Tree writes the plan's steps as a tree, one a line, each indented by
// indent and by its depth, marking a full scan and a temporary sort.
func (p Plan) Tree(indent string) string {
	var b strings.Builder
	for _, s := range p.Steps {
		mark := ""
		switch {
		case s.Scan != "":
			mark = "   ← reads every row of " + s.Scan
		case s.TempSort:
			mark = "   ← sorts in a temporary B-tree"
		}
		fmt.Fprintf(&b, "%s%s%s%s\n", indent, strings.Repeat("  ", s.Depth), s.Detail, mark)
	}
	return b.String()
}

// PlanStep is one line of a query plan.
type PlanStep struct {
	// Depth is the line's depth in the plan's tree, from 0.
	Depth int `json:"depth"`
	// Detail is SQLite's text: "SCAN expenses", "SEARCH users USING
	// INTEGER PRIMARY KEY (rowid=?)".
	Detail string `json:"detail"`
	// Scan names the table this step reads in full, or is empty.
	Scan string `json:"scan,omitempty"`
	// TempSort is set for a step that sorts into a temporary B-tree (for
	// an ORDER BY, GROUP BY or DISTINCT no index serves).
	TempSort bool `json:"temp_sort,omitempty"`
	// Index, for a scan, is the index that would turn it into a search:
	// "CREATE INDEX expenses_user_id ON expenses(user_id)"; empty when the
	// statement filters the table by no column.
	Index string `json:"index,omitempty"`
}

// Duration is a time.Duration that encodes as a string such as "1.5ms".
type Duration time.Duration

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}
