package protocol

// Status is a check's outcome. The checker gives the first six in a
// verdict; a runner gives the others to a check whose program never judged
// it.
type Status string

const (
	// StatusPass: every expectation held, within the statement budget.
	StatusPass Status = "pass"
	// StatusFail: a result, a table state or the statement count was wrong.
	StatusFail Status = "fail"
	// StatusError: the learner's code returned an error the check did not
	// expect, or none where one was due.
	StatusError Status = "error"
	// StatusPanic: the learner's code panicked.
	StatusPanic Status = "panic"
	// StatusTimeout: the learner's code did not return in time.
	StatusTimeout Status = "timeout"
	// StatusBroken: the check itself could not run (a missing expected
	// result, a missing data set): a fault of the lesson, not the learner.
	StatusBroken Status = "broken"

	// StatusCrashed: the check began, and its program ended before the
	// verdict (a panic in another goroutine, os.Exit).
	StatusCrashed Status = "crashed"
	// StatusStopped: the check was running when its program was killed, at
	// the run's time limit or for printing too much.
	StatusStopped Status = "stopped"
	// StatusNotRun: the program ended before the check began.
	StatusNotRun Status = "not run"
	// StatusCompileError: the lesson did not build, so no check ran.
	StatusCompileError Status = "compile error"
)

// Passed reports whether s is [StatusPass].
func (s Status) Passed() bool { return s == StatusPass }

// Judged reports whether s is a verdict's status, given by the checks
// program, rather than one a runner gave in its place.
func (s Status) Judged() bool { return rank[s] > 0 && rank[s] <= rank[StatusBroken] }

// rank orders the statuses of a verdict from the best: a verdict has the
// worst status of its failures. The runner's own come after them.
var rank = map[Status]int{
	StatusPass: 1, StatusFail: 2, StatusError: 3, StatusTimeout: 4, StatusPanic: 5, StatusBroken: 6,
	StatusNotRun: 7, StatusStopped: 8, StatusCrashed: 9, StatusCompileError: 10,
}

// Worse returns whichever of a and b is the worse outcome.
func Worse(a, b Status) Status {
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Kind is what a [Failure] found wrong.
type Kind string

// The kinds of failure.
const (
	KindResult  Kind = "result"  // returned values differ from the expected ones
	KindState   Kind = "state"   // the tables after a write differ from what was expected
	KindBudget  Kind = "budget"  // more statements than the budget allows
	KindPlan    Kind = "plan"    // a statement runs in a way the check rules out (a full scan)
	KindError   Kind = "error"   // an unexpected error, or no error where one was due
	KindPanic   Kind = "panic"   // a panic in learner code
	KindTimeout Kind = "timeout" // learner code did not return in time
	KindBroken  Kind = "broken"  // the check could not run
)

// Status returns the status a failure of kind k gives its check.
func (k Kind) Status() Status {
	switch k {
	case KindPanic:
		return StatusPanic
	case KindTimeout:
		return StatusTimeout
	case KindError:
		return StatusError
	case KindBroken:
		return StatusBroken
	}
	return StatusFail
}

// Output reports whether a failure of kind k is about what the learner's
// code returned or wrote, rather than how many statements it took or how
// SQLite ran them.
func (k Kind) Output() bool { return k != KindBudget && k != KindPlan }

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
