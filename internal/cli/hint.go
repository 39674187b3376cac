package cli

import (
	"fmt"
	"strings"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/runner"
)

// cmdHint is workbook hint.
var cmdHint = &command{
	name:  "hint",
	args:  "[lesson]",
	short: "show the next hint for a lesson",
	long: `Hint shows one more hint for the lesson each time you ask, starting
with a nudge and ending close to the answer. When the lesson's last run
failed a check, the hints about that check come first. With no lesson, it
is for the lesson you are on (the first one not passed). Once you have seen
them all, it shows them all together.`,
	run: noFlags(runHint),
}

// runHint shows the next hint of the lesson args name, or of the one the
// learner is on.
func runHint(e *env, args []string) int {
	l, st, code := e.chosenLesson(args,
		"Every lesson has passed: no hints needed. Name a lesson to see its hints: "+e.self+" hint 7")
	if l == nil {
		return code
	}
	if err := e.showHint(l, st, fmt.Sprintf("Run %s again", e.hintCmd(l))); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// showHint shows the next hint of l, or all of them once all were seen,
// and records it in st. The next hint is one about the first check that
// failed in the lesson's last run, when st records that run and such a
// hint is left (see [lesson.Lesson.HintOrder]). again says how to ask for
// the next one.
func (e *env) showHint(l *lesson.Lesson, st *progress.State, again string) error {
	total := len(l.Hints)
	order := l.HintOrder(st.FailedChecks(l.ID()), func(i int) bool { return st.HintSeen(l.ID(), i) })
	if len(order) == 0 {
		fmt.Fprintf(e.stdout, "You have seen all %d hints for lesson %d (%s). Here they are together:\n\n", total, l.Number, l.Name)
		for i, h := range l.Hints {
			num := fmt.Sprintf("%d. ", i+1)
			fmt.Fprintf(e.stdout, "%s%s\n\n", num, indentText(wrap(h.Text, e.textWidth()-len(num)), strings.Repeat(" ", len(num)))[len(num):])
		}
		return nil
	}
	next := order[0]
	fmt.Fprintln(e.stdout, e.style.bold(fmt.Sprintf("Hint %d of %d for lesson %d (%s):", next+1, total, l.Number, l.Name)))
	if check := failingCheckOf(l.Hints[next], st.FailedChecks(l.ID())); check != "" {
		fmt.Fprintf(e.stdout, "(About %s, which failed in the last run.)\n", check)
	}
	fmt.Fprintf(e.stdout, "\n%s\n", wrap(l.Hints[next].Text, e.textWidth()))
	if len(order) > 1 {
		fmt.Fprintf(e.stdout, "\nStill stuck? %s for the next one.\n", again)
	}
	st.SetHintSeen(l.ID(), next)
	return st.Save(e.root)
}

// failingCheckOf returns the first of the failing checks that h names, or
// "" when it names none of them.
func failingCheckOf(h lesson.Hint, failing []string) string {
	for _, c := range failing {
		if h.About(c) {
			return c
		}
	}
	return ""
}

// failingChecks returns the checks of out that ran and did not pass, in
// the order the lesson declares them; none when the lesson did not build.
func failingChecks(out *runner.Outcome) []string {
	if len(out.Build) > 0 {
		return nil
	}
	var names []string
	for _, c := range out.Checks {
		if c.Started && !c.Status.Passed() {
			names = append(names, c.Check.Name)
		}
	}
	return names
}
