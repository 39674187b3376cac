package runner

import (
	"fmt"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// Outcome is what a run found.
type Outcome struct {
	Lesson *lesson.Lesson
	// Build holds the compiler's messages when the lesson did not build.
	Build []string
	// BuildProblems are the messages of Build sorted into problems, with
	// what each concerns in the learner's file (see [ExplainBuild]).
	BuildProblems []BuildProblem
	// Checks are the lesson's checks in their declared order.
	Checks []CheckOutcome
	// Stopped is set when the test program was killed at the run's time
	// limit, Limit.
	Stopped bool
	Limit   time.Duration
	// Flooded is set when the test program was killed because it printed
	// more than MaxOutput bytes.
	Flooded   bool
	MaxOutput int64
	// Crash holds the end of what the test program printed when it ended
	// without giving every verdict (a panic in another goroutine, os.Exit)
	// or was stopped.
	Crash []string
	// Undeclared lists verdicts for checks the manifest does not declare.
	Undeclared []string
	// Forged holds what a signed run's results held that the checker did
	// not write.
	Forged Forgery
	// Unreadable says why the results file could not be read (a learner's
	// code replaced it, say); the checks then count as never judged.
	Unreadable string
	Elapsed    time.Duration
}

// Forgery is what a signed run's results held that the checker did not
// write, or wrote because it was asked to by something other than the
// lesson's checks.
type Forgery struct {
	// Rejected counts the lines whose signature does not hold; Sample is
	// the start of the first.
	Rejected int
	Sample   string
	// Refused lists the checks the checker refused to run, with why.
	Refused []Refusal
	// Repeated lists the checks that gave a second verdict (the first
	// counts: the checker's, since the key is out of the learner's reach).
	Repeated []string
}

// Refusal is a check the checker refused to run.
type Refusal struct {
	Check string
	Note  string
}

// Any reports whether f found anything.
func (f Forgery) Any() bool { return f.Rejected > 0 || len(f.Refused) > 0 || len(f.Repeated) > 0 }

// CheckOutcome is one declared check and what became of it.
type CheckOutcome struct {
	Check lesson.Check
	// Status is the verdict's, or what stood in for one: crashed, stopped,
	// not run or compile error.
	Status protocol.Status
	// Verdict is nil when the check never finished.
	Verdict *protocol.Verdict
	// Started is set when the check began, even if it never finished.
	Started bool
}

// Passed reports whether the lesson built and every check passed.
func (o *Outcome) Passed() bool {
	if len(o.Build) > 0 || o.Stopped || o.Flooded || len(o.Checks) == 0 {
		return false
	}
	for _, c := range o.Checks {
		if !c.Status.Passed() {
			return false
		}
	}
	return true
}

// PassCount returns how many checks passed.
func (o *Outcome) PassCount() int {
	n := 0
	for _, c := range o.Checks {
		if c.Status.Passed() {
			n++
		}
	}
	return n
}

// Failing returns how many checks gave a verdict other than pass.
func (o *Outcome) Failing() int {
	n := 0
	for _, c := range o.Checks {
		if c.Verdict != nil && !c.Status.Passed() {
			n++
		}
	}
	return n
}

// Complete reports whether every check gave its verdict.
func (o *Outcome) Complete() bool {
	for _, c := range o.Checks {
		if c.Verdict == nil {
			return false
		}
	}
	return true
}

// markAll gives every check status s, for a lesson whose checks never ran.
func (o *Outcome) markAll(s protocol.Status) {
	for i := range o.Checks {
		o.Checks[i].Status, o.Checks[i].Verdict, o.Checks[i].Started = s, nil, false
	}
}

// readDeadline bounds the reading of a results file.
const readDeadline = 10 * time.Second

// read reads the results file at path, signed with key when key is set,
// and matches its records to the checks the lesson declares. A file that
// cannot be read is the run's failure, not Run's: every check then counts
// as never judged.
func (o *Outcome) read(path string, key []byte) {
	type read struct {
		records []protocol.Record
		signed  protocol.Signed
		err     error
	}
	done := make(chan read, 1)
	go func() {
		var r read
		if key != nil {
			r.signed, r.err = protocol.ReadSigned(path, key)
			r.records = r.signed.Records
		} else {
			r.records, r.err = protocol.Read(path)
		}
		done <- r
	}()
	var r read
	select {
	case r = <-done:
	case <-time.After(readDeadline):
		// Nothing a checker writes takes this long to read: what stands
		// at path blocks (a file on a stalled file system).
		r.err = fmt.Errorf("the results file %s could not be read within %s", path, readDeadline)
	}
	records, err := r.records, r.err
	o.Forged.Rejected, o.Forged.Sample = r.signed.Rejected, r.signed.Sample
	if err != nil {
		o.Unreadable = err.Error()
		records = nil
	}
	o.collect(records, key != nil)
}

// collect matches records to the checks the lesson declares, and gives
// each its status. In a signed run the first verdict of a check counts and
// a later one is noted as repeated; in an unsigned run the last counts, as
// the checker's own verdict comes after anything the learner's code wrote
// as its package initialized.
func (o *Outcome) collect(records []protocol.Record, signed bool) {
	started := map[string]bool{}
	verdicts := map[string]*protocol.Verdict{}
	var order []string
	for _, r := range records {
		switch r.Event {
		case protocol.EventStart:
			started[r.Check] = true
		case protocol.EventVerdict:
			if r.Verdict == nil {
				continue
			}
			if verdicts[r.Check] != nil {
				if signed {
					o.Forged.Repeated = append(o.Forged.Repeated, r.Check)
					continue
				}
			} else {
				order = append(order, r.Check)
			}
			verdicts[r.Check] = r.Verdict
		case protocol.EventRefused:
			o.Forged.Refused = append(o.Forged.Refused, Refusal{Check: r.Check, Note: r.Note})
		}
	}
	o.Checks = nil
	for _, c := range o.Lesson.Checks {
		co := CheckOutcome{Check: c, Verdict: verdicts[c.Name], Started: started[c.Name]}
		co.Status = o.statusOf(co)
		o.Checks = append(o.Checks, co)
		delete(verdicts, c.Name)
	}
	o.Undeclared = nil
	for _, name := range order {
		if verdicts[name] != nil {
			o.Undeclared = append(o.Undeclared, name)
		}
	}
}

// statusOf returns the status of c: its verdict's, or what became of a
// check that gave none.
func (o *Outcome) statusOf(c CheckOutcome) protocol.Status {
	switch {
	case c.Verdict != nil && c.Verdict.Status.Judged():
		return c.Verdict.Status
	case c.Verdict != nil:
		// A status no checker gives: the record is not to be believed.
		return protocol.StatusBroken
	case c.Started && (o.Stopped || o.Flooded):
		return protocol.StatusStopped
	case c.Started:
		return protocol.StatusCrashed
	}
	return protocol.StatusNotRun
}
