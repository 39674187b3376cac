package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"workbook/internal/dbview"
	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// cmdDev is workbook dev, the lesson author's tools.
var cmdDev = &command{
	name:  "dev",
	args:  "expected|verify|shipped|schema|mutants|data [lesson...]",
	short: "tools for lesson authors",
	long: `Dev holds the tools for writing lessons.

  workbook dev expected [lesson...]
	Rewrite the expected results of the lessons (all of them by default)
	from their reference solutions: the checks run with solutions/NN-name/
	in place of the learner's files, asked to write what they get, then run
	again to confirm the solution passes. The learner's files are not
	touched.

  workbook dev verify [lesson...]
	Prove that each lesson fails as shipped (and builds), passes with its
	reference solution, and has a shipped copy of its files (for workbook
	reset) equal to them. The exit status is 0 only when every lesson does.

  workbook dev shipped [lesson...]
	Keep a copy of the learner's files of each lesson, as they are now, in
	_shipped/NN-name/: what workbook reset puts back. Run it on the lesson
	as you ship it, whenever you change the learner's file.

  workbook dev schema [lesson...]
	Rewrite the diagram of each lesson's data in its README.md (under "## The
	data", between the schema:begin and schema:end markers) from the data
	set its checks use, as db -mermaid prints it. A README without the
	markers gets the heading and the block right before "## Your task". A
	test fails when a diagram is out of date.
  workbook dev mutants [lesson...]
	Run the checks of each lesson on mutants of its reference solution,
	each one small change a plausible wrong answer makes (an ORDER BY key
	dropped, JOIN for LEFT JOIN, an error returned as nil, a Commit
	removed…), all built into shared programs as workbook grade builds a
	class. It prints each mutant the checks pass as a diff, and each
	lesson's mutation score. The exit status is 1 when a mutant survives
	that lesson.json does not list under "equivalent_mutants".

  workbook dev data
	Rebuild data/*.db from their sources (data/<family>/*.sql and the
	generator in internal/dataset).`,
	run:     noFlags(runDev),
	rawArgs: true,
}

// runDev runs the lesson author's tool args names.
func runDev(e *env, args []string) int {
	if len(args) == 0 {
		return e.usageError("name a tool: expected, verify, shipped, schema, mutants or data")
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	switch args[0] {
	case "data":
		return e.devData()
	case "expected", "verify", "shipped", "schema", "mutants":
		ls, code := e.someLessons(args[1:])
		if ls == nil {
			return code
		}
		switch args[0] {
		case "expected":
			return e.devExpected(ls)
		case "shipped":
			return e.devShipped(ls)
		case "schema":
			return e.devSchema(ls)
		case "mutants":
			return e.devMutants(ls)
		}
		return e.devVerify(ls)
	}
	return e.usageError("unknown tool %q: the tools are expected, verify, shipped, schema, mutants and data", args[0])
}

// someLessons returns the lessons args names, or every lesson when it
// names none.
func (e *env) someLessons(args []string) ([]*lesson.Lesson, int) {
	if len(args) == 0 {
		return e.lessons, exitOK
	}
	var out []*lesson.Lesson
	for _, a := range args {
		l, code := e.findLesson(a)
		if l == nil {
			return nil, code
		}
		out = append(out, l)
	}
	return out, exitOK
}

// solutionOverlay maps the learner's files of l to the reference solution's.
func solutionOverlay(l *lesson.Lesson) (map[string]string, error) {
	overlay := map[string]string{}
	for _, f := range l.Files {
		sol := l.SolutionPath(f)
		if _, err := os.Stat(sol); err != nil {
			return nil, fmt.Errorf("lesson %s has no reference solution for %s: %w", l.ID(), f, err)
		}
		overlay[l.LearnerPath(f)] = sol
	}
	return overlay, nil
}

func (e *env) preparing(l *lesson.Lesson) func() {
	return func() { fmt.Fprintf(e.stderr, "Building lesson %d…\n", l.Number) }
}

func (e *env) devExpected(ls []*lesson.Lesson) int {
	code := exitOK
	for _, l := range ls {
		overlay, err := solutionOverlay(l)
		if err != nil {
			return e.fail(err)
		}
		dir := l.ExpectedDir()
		if err := os.RemoveAll(dir); err != nil {
			return e.fail(err)
		}
		out, err := runner.Run(context.Background(), runner.Spec{
			Lesson: l, Root: e.root, Overlay: overlay, Protocol: protocol.Env{Update: true}, Preparing: e.preparing(l),
		})
		if err != nil {
			return e.fail(err)
		}
		if out.Passed() {
			out, err = runner.Run(context.Background(), runner.Spec{Lesson: l, Root: e.root, Overlay: overlay})
			if err != nil {
				return e.fail(err)
			}
		}
		if !out.Passed() {
			fmt.Fprintf(e.stdout, "%s: the reference solution does not pass:\n", l.ID())
			v := e.view()
			v.verbose = true
			v.render(out, nil)
			code = exitFail
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
		fmt.Fprintf(e.stdout, "%s: wrote %d expected results from %s\n", l.ID(), len(files), filepath.ToSlash(l.Rel(l.SolutionDir())))
	}
	return code
}

func (e *env) devVerify(ls []*lesson.Lesson) int {
	code := exitOK
	for _, l := range ls {
		problems := e.verifyLesson(l)
		if len(problems) == 0 {
			fmt.Fprintf(e.stdout, "ok    %s: fails as shipped, passes with its solution\n", l.ID())
			continue
		}
		code = exitFail
		fmt.Fprintf(e.stdout, "FAIL  %s:\n", l.ID())
		for _, p := range problems {
			fmt.Fprintf(e.stdout, "        %s\n", p)
		}
	}
	return code
}

func (e *env) verifyLesson(l *lesson.Lesson) []string {
	var problems []string
	shipped, err := runner.Run(context.Background(), runner.Spec{Lesson: l, Root: e.root, Preparing: e.preparing(l)})
	switch {
	case err != nil:
		return []string{err.Error()}
	case len(shipped.Build) > 0:
		problems = append(problems, "the shipped exercise does not compile: "+shipped.Build[0])
	case shipped.Passed():
		problems = append(problems, "the shipped exercise passes every check: there is nothing to learn")
	case shipped.Stopped || len(shipped.Crash) > 0:
		problems = append(problems, "the shipped exercise does not finish its checks")
	}
	for _, c := range shipped.Checks {
		if c.Verdict == nil {
			problems = append(problems, fmt.Sprintf("shipped: check %s gave no verdict", c.Check.Name))
		} else if c.Status == protocol.StatusBroken {
			problems = append(problems, fmt.Sprintf("shipped: check %s is broken: %s", c.Check.Name, summary(c.Verdict.Failures)))
		}
	}
	problems = append(problems, e.shippedProblems(l)...)
	overlay, err := solutionOverlay(l)
	if err != nil {
		return append(problems, err.Error())
	}
	solved, err := runner.Run(context.Background(), runner.Spec{Lesson: l, Root: e.root, Overlay: overlay})
	if err != nil {
		return append(problems, err.Error())
	}
	if !solved.Passed() {
		problems = append(problems, fmt.Sprintf("the reference solution passes %d of %d checks", solved.PassCount(), len(solved.Checks)))
		for _, c := range solved.Checks {
			if c.Verdict != nil && !c.Verdict.Passed() {
				problems = append(problems, fmt.Sprintf("solution: %s: %s", c.Check.Name, summary(c.Verdict.Failures)))
			}
		}
		if len(solved.Build) > 0 {
			problems = append(problems, "solution: "+solved.Build[0])
		}
	}
	return problems
}

// devShipped copies the learner's files of each lesson to _shipped/.
func (e *env) devShipped(ls []*lesson.Lesson) int {
	for _, l := range ls {
		for _, f := range l.Files {
			data, err := os.ReadFile(l.LearnerPath(f))
			if err != nil {
				return e.fail(err)
			}
			dst := l.ShippedPath(f)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return e.fail(err)
			}
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				return e.fail(err)
			}
			fmt.Fprintf(e.stdout, "%s: kept %s as shipped in %s\n", l.ID(), f, e.show(dst))
		}
	}
	return exitOK
}

// shippedProblems says what is wrong with the shipped copy of l's files:
// missing, or not the same as the files.
func (e *env) shippedProblems(l *lesson.Lesson) []string {
	var problems []string
	for _, f := range l.Files {
		shipped := l.ShippedPath(f)
		want, err := os.ReadFile(shipped)
		if err != nil {
			problems = append(problems, fmt.Sprintf("no shipped copy of %s for workbook reset: run %s dev shipped %d", f, e.self, l.Number))
			continue
		}
		got, err := os.ReadFile(l.LearnerPath(f))
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if !bytes.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("%s differs from %s, what workbook reset puts back: if the lesson's file is as you ship it, run %s dev shipped %d",
				filepath.ToSlash(l.Rel(shipped)), f, e.self, l.Number))
		}
	}
	return problems
}

// devData rebuilds the seeded databases. It runs as its own program so that
// the workbook command itself needs no cgo and builds in a moment.
func (e *env) devData() int {
	goCmd, err := runner.GoTools()
	if err != nil {
		return e.fail(err)
	}
	cmd := exec.Command(goCmd, "run", "./internal/dataset/builddata")
	cmd.Dir, cmd.Stdout, cmd.Stderr = e.root, e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		return e.fail(fmt.Errorf("rebuilding the data: %w", err))
	}
	return exitOK
}

// devSchema rewrites the schema diagram in the README.md of each lesson of
// ls from its own data set.
func (e *env) devSchema(ls []*lesson.Lesson) int {
	available := lesson.AvailableDataSets(e.root)
	for _, l := range ls {
		used, err := l.DataSets(available)
		if err != nil {
			return e.fail(err)
		}
		own, _ := lesson.OwnDataSet(used)
		if own == "" {
			fmt.Fprintf(e.stdout, "%s: its checks name no data set; no diagram\n", l.ID())
			continue
		}
		resp, err := e.dbHelper(context.Background(), "schema", lesson.DataSetPath(e.root, own), "")
		if err != nil {
			return e.fail(err)
		}
		path := filepath.Join(l.Dir, "README.md")
		readme, err := os.ReadFile(path)
		if err != nil {
			return e.fail(err)
		}
		updated, err := dbview.ReadmeWithSchema(string(readme), dbview.SchemaBlock(l.Number, own, resp.Schema))
		if err != nil {
			return e.fail(fmt.Errorf("%s: %w", l.Rel(path), err))
		}
		if updated == string(readme) {
			fmt.Fprintf(e.stdout, "%s: the diagram of %s is up to date\n", l.ID(), own)
			continue
		}
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stdout, "%s: wrote the diagram of %s into %s\n", l.ID(), own, l.Rel(path))
	}
	return exitOK
}
