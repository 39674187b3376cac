package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"workbook/internal/lesson"
)

// cmdSolution is workbook solution.
var cmdSolution = &command{
	name:  "solution",
	args:  "lesson",
	short: "show a lesson's reference solution, once you have passed it",
	long: `Solution shows the reference solution of a lesson you have passed, and
then how it differs from your file: lines starting with - are yours, lines
starting with + the solution's. Comparing is where you learn the most from
it: another way to write the same statements, or fewer statements.

Before you pass the lesson, it stays hidden: working it out is the lesson.
Try the hints first (workbook hint).`,
	run: withFlags((*solutionOptions).setFlags, runSolution),
}

// solutionOptions are the flags of solution.
type solutionOptions struct {
	spoil bool
}

// setFlags declares the flags of solution into o.
func (o *solutionOptions) setFlags(fs *flagSet) {
	fs.BoolVar(&o.spoil, "spoil", false, `Show it before you have passed the lesson. This costs you the lesson's
point: you will read the answer instead of finding it. The workbook
remembers that you looked, and workbook list says so.`)
}

// runSolution shows the reference solution of the lesson args name, once
// the learner has passed it or asks to be spoiled.
func runSolution(e *env, opt solutionOptions, args []string) int {
	if len(args) != 1 {
		return e.usageError("name the lesson, such as: %s solution 7", e.self)
	}
	l, st, code := e.chosenLesson(args, "")
	if l == nil {
		return code
	}
	passed := st.Passed(l.ID())
	if !passed && !opt.spoil {
		fmt.Fprintf(e.stdout, "You have not passed lesson %d yet, so its solution stays hidden: working it out is the lesson.\n"+
			"Stuck? A hint helps without giving it away: %s\n"+
			"To see the solution anyway (the workbook remembers that you did): %s -spoil\n",
			l.Number, e.hintCmd(l), e.solutionCmd(l))
		return exitFail
	}
	if !passed {
		st.SetSolutionSeen(l.ID())
		if err := st.Save(e.root); err != nil {
			return e.fail(err)
		}
	}
	if err := e.showSolution(l, passed); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// showSolution prints the solution's files of l, each followed by how the
// learner's file differs from it.
func (e *env) showSolution(l *lesson.Lesson, passed bool) error {
	w, s := e.stdout, e.style
	if !passed {
		fmt.Fprintf(w, "%s\n\n", s.dim(fmt.Sprintf("(Shown before you passed lesson %d: your progress now says so.)", l.Number)))
	}
	for _, f := range l.Files {
		solPath := l.SolutionPath(f)
		sol, err := os.ReadFile(solPath)
		if err != nil {
			return fmt.Errorf("lesson %d has no reference solution for %s: %w", l.Number, f, err)
		}
		minePath := l.LearnerPath(f)
		mine, err := os.ReadFile(minePath)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		fmt.Fprintf(w, "%s\n\n", s.bold(fmt.Sprintf("The reference solution of lesson %d (%s): %s", l.Number, l.Title, e.show(solPath))))
		w.Write(sol)
		if !bytes.HasSuffix(sol, []byte("\n")) {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
		switch {
		case mine == nil:
			fmt.Fprintf(w, "You have no %s to compare it with.\n\n", e.show(minePath))
		case bytes.Equal(mine, sol):
			fmt.Fprintf(w, "Your %s is the same, byte for byte.\n\n", e.show(minePath))
		default:
			fmt.Fprintf(w, "%s\n", s.bold(fmt.Sprintf("How it differs from yours (- %s, + the solution):", e.show(minePath))))
			d := diff.Diff(filepath.ToSlash(e.show(minePath)), mine, filepath.ToSlash(e.show(solPath)), sol)
			fmt.Fprintln(w, e.colorDiff(string(d)))
		}
	}
	return nil
}

// colorDiff colours the lines of a unified diff on a terminal: removals
// red, additions green, hunk headers dim.
func (e *env) colorDiff(d string) string {
	if !e.style.color {
		return strings.TrimRight(d, "\n")
	}
	lines := strings.Split(strings.TrimRight(d, "\n"), "\n")
	for i, line := range lines {
		switch {
		case strings.HasPrefix(line, "---"), strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "diff "):
			lines[i] = e.style.bold(line)
		case strings.HasPrefix(line, "@@"):
			lines[i] = e.style.dim(line)
		case strings.HasPrefix(line, "-"):
			lines[i] = e.style.red(line)
		case strings.HasPrefix(line, "+"):
			lines[i] = e.style.green(line)
		}
	}
	return strings.Join(lines, "\n")
}
