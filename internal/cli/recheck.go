package cli

import (
	"context"

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

// passedLessons returns which lessons st records as passed, for a run to
// read while st stays with its caller.
func (e *env) passedLessons(st *progress.State) map[string]bool {
	passed := map[string]bool{}
	for _, l := range e.lessons {
		passed[l.ID()] = st.Passed(l.ID())
	}
	return passed
}

// recheck returns what checking the lessons again found, every lesson in
// order, when out, a run of l, calls for it: l is the last of several
// lessons, and passes where passed says it had not. Otherwise it returns
// nil, and runs nothing.
func (e *env) recheck(ctx context.Context, l *lesson.Lesson, out *runner.Outcome, passed map[string]bool) ([]rechecked, error) {
	last := e.lessons[len(e.lessons)-1]
	if !out.Passed() || passed[l.ID()] || l != last || len(e.lessons) == 1 {
		return nil, nil
	}
	var lines []rechecked
	for _, other := range e.lessons {
		state := recheckPass
		switch {
		case other == l:
		case passed[other.ID()]:
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

// recordRecheck records in st that the lessons a re-check found broken no
// longer pass.
func recordRecheck(st *progress.State, lines []rechecked) {
	for _, rc := range lines {
		if rc.state == recheckBroken {
			st.SetPassed(rc.lesson.ID(), false)
		}
	}
}
