// Package results is the channel between a lesson's checks and the tools
// that run them. The checker appends one JSON record per line to the file
// named by the WORKBOOK_RESULTS environment variable: a "start" record as a
// check begins and a "verdict" record when it ends. The workbook command
// reads verdicts from this file, never from what the test printed, so output
// written by learner code cannot change a verdict.
//
// In a graded run (`workbook grade`) the channel is hardened further: see
// Grading. The records are signed with a key the checker takes, with the
// expected results and the seeded data, from a private folder it removes
// before any of the lesson's code runs; the grader rejects unsigned records
// and reports them, and the checker refuses to run a check that the
// lesson's own check files did not start.
//
// What this does not defend against: the learner's code runs in the same
// process as the checks, so code written on purpose to cheat with package
// unsafe, //go:linkname or cgo can read the key from memory or change the
// checker's state, and code that searches the disk can find the
// instructor's copy of the workbook. The grader flags such constructs in
// the learner's files for review (package workbook/internal/grade);
// isolation against them needs a process, user or container of its own.
package protocol

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// EnvFile names the environment variable that holds the results file's path.
const EnvFile = "WORKBOOK_RESULTS"

// Status is a check's outcome.
type Status string

const (
	// StatusPass: every expectation held, within the statement budget.
	StatusPass Status = "pass"
	// StatusFail: a result, a table state or the statement count was wrong.
	StatusFail Status = "fail"
	// StatusError: the learner's code returned an error the check did not
	// expect.
	StatusError Status = "error"
	// StatusPanic: the learner's code panicked.
	StatusPanic Status = "panic"
	// StatusTimeout: the learner's code did not return in time.
	StatusTimeout Status = "timeout"
	// StatusBroken: the check itself could not run (a missing expected
	// result, a missing data set): a fault of the lesson, not the learner.
	StatusBroken Status = "broken"
)

// Part is the outcome of one part of a check, for partial credit.
type Part string

const (
	// PartPass: the part held.
	PartPass Part = "pass"
	// PartFail: the part did not hold.
	PartFail Part = "fail"
	// PartNotJudged: the check did not get far enough to judge the part, or
	// the check has no such part.
	PartNotJudged Part = "not judged"
)

// Failure kinds.
const (
	KindResult  = "result"  // returned values differ from the expected ones
	KindState   = "state"   // the tables after a write differ from what was expected
	KindBudget  = "budget"  // more statements than the budget allows
	KindError   = "error"   // an unexpected error, or no error where one was due
	KindPanic   = "panic"   // a panic in learner code
	KindTimeout = "timeout" // learner code did not return in time
	KindBroken  = "broken"  // the check could not run
)

// Failure is one thing a check found wrong.
type Failure struct {
	// Data is the data set the check ran on.
	Data string `json:"data"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Message explains the failure to the learner, in plain text.
	Message string `json:"message"`
}

// Statement is one entry of the statement log, as the command shows it.
type Statement struct {
	Seq    int    `json:"seq"`
	Kind   string `json:"kind"` // "statement", "BEGIN", "COMMIT", "ROLLBACK"
	Line   string `json:"line"` // formatted SQL, arguments and outcome
	Micros int64  `json:"micros"`
	// WaitMicros is the simulated network round trip the statement waited
	// (workbook run --latency), apart from Micros, SQLite's own time.
	WaitMicros int64 `json:"wait_micros,omitempty"`
}

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
	// Log is the statement log of one data set: the one that broke the
	// budget, or else the first.
	Log        []Statement `json:"log,omitempty"`
	LogData    string      `json:"log_data,omitempty"`
	LogDropped int         `json:"log_dropped,omitempty"`
	// DBTime is the time the statements of LogData spent in SQLite, and
	// Waited the simulated round trips they waited (workbook run
	// --latency), every statement counted, also those the Log leaves out.
	DBTime  Duration `json:"db_time,omitempty"`
	Waited  Duration `json:"waited,omitempty"`
	Elapsed Duration `json:"elapsed"`
}

// Passed reports whether the check passed.
func (v *Verdict) Passed() bool { return v.Status == StatusPass }

// Record is one line of a results file.
type Record struct {
	// Event is "start", "verdict", or in a graded run "refused": a check
	// the checker would not run, because something other than the
	// lesson's check files asked for it (Note says what).
	Event   string   `json:"event"`
	Check   string   `json:"check"`
	Verdict *Verdict `json:"verdict,omitempty"`
	Note    string   `json:"note,omitempty"`
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

// Append adds r to the results file at path as one line.
func Append(path string, r Record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("protocol: %w", err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("protocol: %w", err)
	}
	return f.Close()
}

// Read returns the records of the results file at path. A missing file holds
// no records. A line that is not a record (a file cut short by a crash) ends
// the reading without error.
func Read(path string) ([]Record, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			break
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// Count writes n with a comma between thousands, as people read counts:
// 1,001 statements.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
