package grade

import (
	"context"
	"fmt"
	"runtime"

	"workbook/internal/lesson"
	"workbook/internal/runner"
)

// Variant is one set of learner files for a lesson: a mutant of its
// reference solution, say.
type Variant struct {
	Lesson string            // the lesson's ID, 07-n-plus-one
	Files  map[string][]byte // by the names lesson.json gives
}

// RunVariants runs the checks of each variant's lesson on the variant's
// files, built the way grading builds learners' files: many variants,
// of one lesson or several, linked into one program (a package each), each
// run in a process of its own with a private folder and a key. It returns
// one outcome per variant, in order; a variant that does not compile has
// an outcome whose Build holds the compiler's messages.
//
// Of opt, Workbook, Workers, Timeout, CheckTimeout, FailFast and Log apply.
// Unlike Grade, it does not first check the reference solutions: a caller
// that needs them to pass runs them as variants.
func RunVariants(ctx context.Context, opt Options, variants []Variant) ([]*runner.Outcome, error) {
	goCmd, err := runner.GoTools()
	if err != nil {
		return nil, err
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	g := &grader{opt: opt, goCmd: goCmd, plans: map[string]*plan{}, expected: map[string]map[string][]byte{},
		used: map[string][]string{}, hasBudget: map[string]bool{}, trusted: true}
	if g.lessons, err = lesson.LoadAll(opt.Workbook); err != nil {
		return nil, err
	}
	units := make([]*unit, len(variants))
	for i, v := range variants {
		if g.plans[v.Lesson] == nil && !g.hasLesson(v.Lesson) {
			return nil, fmt.Errorf("grade: no lesson %s", v.Lesson)
		}
		units[i] = &unit{lesson: v.Lesson, files: v.Files}
	}
	err = g.prepare()
	defer g.removeTemp()
	if err != nil {
		return nil, err
	}
	if err := g.gradeUnits(ctx, units); err != nil {
		return nil, err
	}
	out := make([]*runner.Outcome, len(units))
	for i, u := range units {
		out[i] = u.outcome
		if u.prog == nil && u.result != nil { // it did not compile
			out[i] = &runner.Outcome{Lesson: u.result.Lesson, Build: u.result.Build}
		}
		if out[i] == nil {
			return nil, fmt.Errorf("grade: variant %d of lesson %s was never run", i+1, u.lesson)
		}
	}
	return out, nil
}

func (g *grader) hasLesson(id string) bool {
	for _, l := range g.lessons {
		if l.ID() == id {
			return true
		}
	}
	return false
}
