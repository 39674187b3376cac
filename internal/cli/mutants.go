package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/diff"

	"workbook/internal/grade"
	"workbook/internal/lesson"
	"workbook/internal/mutant"
	"workbook/internal/runner"
)

// mutantRun is one mutant of a lesson's reference solution, and what its
// checks made of it.
type mutantRun struct {
	lesson  *lesson.Lesson
	file    string // the learner's file it changes
	m       mutant.Mutant
	outcome *runner.Outcome
}

// devMutants runs each lesson's checks on the mutants of its reference
// solution, all linked into shared programs as the grader links learners'
// files, and reports every mutant the checks let through. It fails on a
// survivor the lesson does not list as equivalent, and on a listed one that
// no longer survives.
func (e *env) devMutants(ls []*lesson.Lesson) int {
	began := time.Now()
	var variants []grade.Variant
	var runs []*mutantRun
	reference := map[string]int{} // each lesson's solution, by variant
	for _, l := range ls {
		solution := map[string][]byte{}
		for _, f := range l.Files {
			data, err := os.ReadFile(l.SolutionPath(f))
			if err != nil {
				return e.fail(fmt.Errorf("lesson %s has no reference solution to mutate: %w", l.ID(), err))
			}
			solution[f] = data
		}
		reference[l.ID()] = len(variants)
		variants = append(variants, grade.Variant{Lesson: l.ID(), Files: solution})
		runs = append(runs, nil)
		for _, f := range l.Files {
			ms, err := mutant.Make(filepath.ToSlash(l.Rel(l.SolutionPath(f))), solution[f])
			if err != nil {
				return e.fail(err)
			}
			// Code the learner's file ships with is the lesson's, not the
			// learner's answer: its mutants are left out.
			var given map[string]bool
			if shipped, err := os.ReadFile(l.ShippedPath(f)); err == nil {
				given = mutant.Given(solution[f], shipped)
			}
			for _, m := range ms {
				if given[m.Func] {
					continue
				}
				files := map[string][]byte{}
				for name, data := range solution {
					files[name] = data
				}
				files[f] = m.Source
				variants = append(variants, grade.Variant{Lesson: l.ID(), Files: files})
				runs = append(runs, &mutantRun{lesson: l, file: f, m: m})
			}
		}
	}
	fmt.Fprintf(e.stderr, "Running the checks of %d lesson(s) on %d mutant(s) of their solutions…\n", len(ls), len(variants)-len(ls))
	outcomes, err := grade.RunVariants(context.Background(), grade.Options{Workbook: e.root, FailFast: true, Log: func(s string) { fmt.Fprintf(e.stderr, "%s %s\n", time.Now().Format("15:04:05"), s) }}, variants)
	if err != nil {
		return e.fail(err)
	}
	code := exitOK
	for _, l := range ls {
		if ref := outcomes[reference[l.ID()]]; !ref.Passed() {
			fmt.Fprintf(e.stdout, "FAIL  %s: the reference solution does not pass its checks, so its mutants tell nothing (run %s dev verify %d)\n", l.ID(), e.self, l.Number)
			code = exitFail
			continue
		}
		var killed, total, broken, equivalent int
		var spent time.Duration // in the lesson's runs, all workers together
		var survivors []*mutantRun
		found := map[string]bool{}
		for i, r := range runs {
			if r == nil || r.lesson != l {
				continue
			}
			r.outcome = outcomes[i]
			spent += r.outcome.Elapsed
			found[r.m.ID] = true
			switch {
			case len(r.outcome.Build) > 0:
				broken++
				continue
			case !r.outcome.Passed():
				killed++
				if l.IsEquivalentMutant(r.m.ID) {
					fmt.Fprintf(e.stdout, "      %s: %s is listed as equivalent in lesson.json, but the checks kill it: remove it from the list\n", l.ID(), r.m.ID)
					code = exitFail
				}
			case l.IsEquivalentMutant(r.m.ID):
				equivalent++
			default:
				survivors = append(survivors, r)
			}
			total++
		}
		for _, m := range l.EquivalentMutants {
			if !found[m.ID] {
				fmt.Fprintf(e.stdout, "      %s: lesson.json lists equivalent mutant %s, which the solution no longer has: remove it from the list\n", l.ID(), m.ID)
				code = exitFail
			}
		}
		status := "ok  "
		if len(survivors) > 0 {
			status, code = "FAIL", exitFail
		}
		score := 100.0
		if total > 0 {
			score = 100 * float64(killed) / float64(total)
		}
		fmt.Fprintf(e.stdout, "%s  %s: %d of %d mutants killed (%.0f%%), %d equivalent, %d survived; %d did not compile\n",
			status, l.ID(), killed, total, score, equivalent, len(survivors), broken)
		fmt.Fprintf(e.stderr, "%s: its mutants' runs took %s\n", l.ID(), spent.Round(100*time.Millisecond))
		for _, r := range survivors {
			fmt.Fprintf(e.stdout, "\nsurvived %s %s (%s in %s): the checks pass this mutant of %s\n", l.ID(), r.m.ID, r.m.What, r.m.Func, filepath.ToSlash(l.Rel(l.SolutionPath(r.file))))
			old := filepath.ToSlash(l.Rel(l.SolutionPath(r.file)))
			ref := variants[reference[l.ID()]].Files[r.file]
			e.stdout.Write(diff.Diff(old, ref, old+" ("+r.m.ID+")", r.m.Source))
		}
		if len(survivors) > 0 {
			fmt.Fprintf(e.stdout, "\n      a survivor is a gap in the checks (fix the checks or the data) or an equivalent mutant:\n      list it in lessons/%s/lesson.json under \"equivalent_mutants\" with the reason\n", l.ID())
		}
	}
	fmt.Fprintf(e.stderr, "Ran %d mutant(s) in %s.\n", len(variants)-len(ls), time.Since(began).Round(time.Second))
	return code
}
