// Package grade grades a class's submissions of the workbook against the
// instructor's own copy, for `workbook grade`.
//
// Each submission is graded pristine: only the files each lesson declares
// as the learner's (lesson.json "files") are taken from it, put in place
// with go's -overlay flag over a private build copy of the instructor's
// workbook; the checks, expected results, go.mod, go.sum and data/ always
// come from the instructor's copy. Other files a submission changed are
// listed in its report and ignored; a learner file it lacks leaves that
// lesson not attempted.
//
// The learner's code runs in test programs built with -overlay, each in
// its own process group, working folder, HOME and TMPDIR, with a time limit
// per lesson. The checker takes its key, the expected results and the
// seeded data from a private folder it removes before any learner code runs
// (see package workbook/internal/protocol), and every verdict is signed: a
// verdict the learner's code writes is rejected and flagged. Learner files
// are read for constructs that reach past the checks (a database
// connection of their own, unsafe, //go:linkname, cgo, file and process
// access) and flagged for the instructor.
//
// For speed, all the lessons a student attempted are linked into one
// program (the lesson's check files compiled as ordinary files, one main
// running the tests of the lesson it is asked for, each lesson in its own
// process); a lesson whose program crashes or hangs there is built and run
// again alone, so that one lesson's fault never costs another its points.
// Identical learner files (the shipped exercise left untouched, say) are
// graded once. Submissions are built and run by a pool of workers; the
// build cache does the rest.
//
// Everything a grading produces comes from one model, Class; the files an
// instructor and a platform read are written from it by package
// workbook/internal/grade/report.
package grade

import (
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// Class is the outcome of grading a set of submissions.
type Class struct {
	// Workbook is the instructor's copy the submissions were graded
	// against.
	Workbook string
	Lessons  []*lesson.Lesson
	// Max is the most points each lesson can earn, by lesson ID, and
	// MaxTotal their sum.
	Max      map[string]float64
	MaxTotal float64
	Students []*Student
	// Skipped lists the entries of the folder of submissions that were
	// not graded, and why, by name.
	Skipped []Skipped
	// Notes are things the instructor should know about the grading as a
	// whole (a grader's file a submission changed, then restored).
	Notes   []string
	Elapsed time.Duration
	// Seed made the grading-time data sets, Fresh; `workbook grade -seed`
	// makes the same again. Fresh is empty when the grading used the
	// shipped variants.
	Seed  uint64
	Fresh []FreshSet
	// FreshLessons are the lessons whose checks ran on a fresh set.
	FreshLessons []string
	// Similar lists the pairs of students whose learner files look alike,
	// by lesson, most alike first (see similar.go).
	Similar []Similarity
	// Settings are the points file's settings for the reports.
	Settings Settings
}

// Student is one submission's grade.
type Student struct {
	// Name identifies the student: the submission's folder or archive name.
	Name string
	// Source is where the submission was read from.
	Source string
	// Problem is set when the submission could not be read at all (a
	// broken archive); it then earns no points.
	Problem string
	// Lessons holds one result per lesson of the workbook, in its order.
	Lessons []*LessonResult
	// Ignored lists files the submission changed or added outside the
	// learner's files; they played no part in the grade.
	Ignored []string
	// Flags are findings for the instructor to review.
	Flags []Flag
	// Late is what the late policy did, when the submission was late (see
	// late.go); nil otherwise.
	Late *Late
}

// Total returns the points the student earned.
func (s *Student) Total() float64 {
	t := 0.0
	for _, l := range s.Lessons {
		t += l.Points
	}
	return t
}

// Lesson returns the student's result for the lesson with the given ID.
func (s *Student) Lesson(id string) *LessonResult {
	for _, l := range s.Lessons {
		if l.Lesson.ID() == id {
			return l
		}
	}
	return nil
}

// LessonStatus is how far a lesson's grading got.
type LessonStatus string

const (
	// NotAttempted: the submission has no file of the lesson's.
	NotAttempted LessonStatus = "not attempted"
	// CompileError: the lesson did not build with the learner's files.
	CompileError LessonStatus = "compile error"
	// Graded: the checks ran and each gave its verdict.
	Graded LessonStatus = "graded"
	// Crashed: the test program ended before every check gave a verdict
	// (a panic outside a check, os.Exit).
	Crashed LessonStatus = "crashed"
	// Stopped: the test program was killed at the lesson's time limit.
	Stopped LessonStatus = "stopped"
)

// LessonResult is one lesson of one submission.
type LessonResult struct {
	Lesson *lesson.Lesson
	Status LessonStatus
	Points float64
	Max    float64
	// Checks holds one result per check the lesson declares, in order.
	Checks []*CheckResult
	// Build holds the compiler's messages, for a compile error.
	Build []string
	// Output is the end of what the test program printed, for a crash or
	// a stop.
	Output []string
	// Limit is the time limit the lesson ran under.
	Limit time.Duration
	// Unchanged is set when the learner's files are the shipped exercise,
	// byte for byte.
	Unchanged bool
	// Isolated is set when the lesson was run in a program of its own
	// after a crash or hang in the program it shared with other lessons.
	Isolated bool
	Elapsed  time.Duration
}

// CheckStatus is a check's outcome: a verdict's status, or what stood in
// for one (see package workbook/internal/protocol).
type CheckStatus = protocol.Status

// The statuses of a graded check.
const (
	CheckPass         = protocol.StatusPass
	CheckFail         = protocol.StatusFail
	CheckError        = protocol.StatusError
	CheckPanic        = protocol.StatusPanic
	CheckTimeout      = protocol.StatusTimeout
	CheckBroken       = protocol.StatusBroken
	CheckCrashed      = protocol.StatusCrashed
	CheckStopped      = protocol.StatusStopped
	CheckNotRun       = protocol.StatusNotRun
	CheckCompileError = protocol.StatusCompileError
	// CheckNotAttempted: the submission has no file of the lesson's.
	CheckNotAttempted CheckStatus = "not attempted"
)

// CheckResult is one check of one lesson of one submission.
type CheckResult struct {
	Name   string
	About  string
	Status CheckStatus
	// Points is what the check earned: OutputPoints for a right result,
	// plus BudgetPoints for one within the statement budget.
	Points       float64
	Max          float64
	OutputPoints float64
	BudgetPoints float64
	// Verdict is the checker's, when it gave one.
	Verdict *protocol.Verdict
}

// Passed reports whether the check passed.
func (c *CheckResult) Passed() bool { return c.Status == CheckPass }

// Flag kinds.
const (
	FlagOwnConnection = "own connection" // a database connection the checks do not count
	FlagUnsafe        = "unsafe"         // unsafe, //go:linkname or cgo: can reach the checker's memory
	FlagSystem        = "system"         // programs, system calls, network
	FlagFiles         = "files"          // reads or writes files
	FlagProcess       = "process"        // ends the program or reads its environment
	FlagWorkbook      = "workbook"       // imports the workbook's own packages
	FlagForged        = "forged results" // records the checker did not write, or a check started from elsewhere
	FlagTampered      = "tampered"       // wrote to the grader's files while running
	FlagSubmission    = "submission"     // something odd about the submission itself
	FlagImport        = "import"         // imports a package its lesson does not allow: not built
)

// Flag is a finding for the instructor to review. Flags do not change
// points.
type Flag struct {
	Kind    string
	Lesson  string // lesson ID, or ""
	File    string // path in the submission, or ""
	Line    int
	Message string
}
