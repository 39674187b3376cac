package cli

import (
	"context"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/runner"
)

// The re-check: when the last lesson passes where it had not, the learner
// has finished the workbook, or thinks so. But a change made for a later
// lesson (a query rewritten, a helper shared) may have broken a lesson
// passed before. So the lessons recorded as passed run again, and one that
// fails now is recorded as not passed; run and watch show what they found.

// rechecked is one lesson of a re-check.
type rechecked struct {
	lesson *lesson.Lesson
	state  recheckState
}

// recheckState is what a re-check found of a lesson.
type recheckState int

const (
	recheckPass    recheckState = iota // passes still
	recheckBroken                      // passed before, fails now
	recheckPending                     // never passed
)

// standing is where a lesson stands in the learner's progress.
type standing int

const (
	neverPassed standing = iota
	passing              // passed, and its latest run passed too
	failingNow           // passed once, and its latest run failed
)

// standings returns where st says each lesson stands, for a run to read
// while st stays with its caller.
func (e *env) standings(st *progress.State) map[string]standing {
	m := map[string]standing{}
	for _, l := range e.lessons {
		switch id := l.ID(); {
		case st.Failing(id):
			m[id] = failingNow
		case st.Passed(id):
			m[id] = passing
		}
	}
	return m
}

// recheck returns what checking the lessons again found, every lesson in
// order, when out, a run of l, calls for it: l is the last of several
// lessons, and passes where its latest run, as was says, had not.
// Otherwise it returns nil, and runs nothing. The lessons passed once run
// again, those failing now too.
func (e *env) recheck(ctx context.Context, l *lesson.Lesson, out *runner.Outcome, was map[string]standing) ([]rechecked, error) {
	last := e.lessons[len(e.lessons)-1]
	if !out.Passed() || was[l.ID()] == passing || l != last || len(e.lessons) == 1 {
		return nil, nil
	}
	var lines []rechecked
	for _, other := range e.lessons {
		state := recheckPass
		switch {
		case other == l:
		case was[other.ID()] != neverPassed:
			o, err := runner.Run(ctx, runner.Spec{Lesson: other, Root: e.root})
			if err != nil {
				return nil, err
			}
			if !o.Passed() {
				state = recheckBroken
			}
		default:
			state = recheckPending
		}
		lines = append(lines, rechecked{lesson: other, state: state})
	}
	return lines, nil
}

// recordRecheck records in st what a re-check found: the lessons broken
// fail now (they stay passed before), and those that pass again no longer
// do.
func recordRecheck(st *progress.State, lines []rechecked, now time.Time) {
	for _, rc := range lines {
		switch rc.state {
		case recheckBroken:
			st.Record(rc.lesson.ID(), false, now)
		case recheckPass:
			st.Record(rc.lesson.ID(), true, now)
		}
	}
}
