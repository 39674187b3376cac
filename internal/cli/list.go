package cli

import (
	"fmt"
	"unicode/utf8"

	"workbook/internal/lesson"
	"workbook/internal/progress"
)

// cmdList is workbook list.
var cmdList = &command{
	name:  "list",
	short: "list the lessons in order, with the ones you passed",
	long: `List shows every lesson in order, whether you have passed it, and the
command that runs the one you are on. A lesson counts as passed once a run
passed every check; when a later run fails, list says it passed before and
fails now; verify runs every lesson you passed again.`,
	run: noFlags(runList),
}

// runList lists the lessons.
func runList(e *env, args []string) int {
	if len(args) > 0 {
		return e.usageError("list takes no arguments")
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	st, err := progress.Load(e.root)
	if err != nil {
		return e.fail(err)
	}
	e.printList(st)
	return exitOK
}

// columnWidths returns the widths of the name and title columns: the
// longest name and title, so that every row lines up.
func columnWidths(ls []*lesson.Lesson) (name, title int) {
	for _, l := range ls {
		name = max(name, utf8.RuneCountInString(l.Name))
		title = max(title, utf8.RuneCountInString(l.Title))
	}
	return name, title
}

// printList shows every lesson in order, whether it passed, and the one the
// learner is on.
func (e *env) printList(st *progress.State) {
	passed, failing := e.tally(st)
	fmt.Fprintf(e.stdout, "%s (%d of %d passed%s)\n\n", e.style.bold("Lessons"), passed, len(e.lessons), e.failingNote(failing))
	cur := e.current(st)
	nameW, titleW := columnWidths(e.lessons)
	for _, l := range e.lessons {
		mark, state := " ", "pending"
		switch rec := recordOf(st, l); {
		case st.Failing(l.ID()):
			state = e.style.red(rec.passedBefore())
		case rec.passed:
			state = e.style.green("passed")
		}
		if st.SolutionSeen(l.ID()) {
			state += " (solution seen before passing)"
		}
		if l == cur {
			mark = ">"
		}
		fmt.Fprintf(e.stdout, "%s %2d  %-*s  %-*s  %s\n", mark, l.Number, nameW, l.Name, titleW, l.Title, state)
	}
	fmt.Fprintln(e.stdout)
	if cur == nil {
		fmt.Fprintln(e.stdout, "Every lesson has passed. Well done!")
	} else {
		fmt.Fprintf(e.stdout, "Next: %s\n", e.runCmd(cur))
	}
}
