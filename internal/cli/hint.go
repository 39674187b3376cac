package cli

import (
	"fmt"
	"strings"

	"workbook/internal/lesson"
	"workbook/internal/progress"
)

// cmdHint is workbook hint.
var cmdHint = &command{
	name:  "hint",
	args:  "[lesson]",
	short: "show the next hint for a lesson",
	long: `Hint shows one more hint for the lesson each time you ask, starting
with a nudge and ending close to the answer. With no lesson, it is for the
lesson you are on (the first one not passed). Once you have seen them all,
it shows them all together.`,
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
// and records it in st. again says how to ask for the next one.
func (e *env) showHint(l *lesson.Lesson, st *progress.State, again string) error {
	seen := st.HintsSeen(l.ID())
	total := len(l.Hints)
	if seen >= total {
		fmt.Fprintf(e.stdout, "You have seen all %d hints for lesson %d (%s). Here they are together:\n\n", total, l.Number, l.Name)
		for i, h := range l.Hints {
			num := fmt.Sprintf("%d. ", i+1)
			fmt.Fprintf(e.stdout, "%s%s\n\n", num, indentText(wrap(h, e.textWidth()-len(num)), strings.Repeat(" ", len(num)))[len(num):])
		}
		return nil
	}
	fmt.Fprintf(e.stdout, "%s\n\n%s\n", e.style.bold(fmt.Sprintf("Hint %d of %d for lesson %d (%s):", seen+1, total, l.Number, l.Name)), wrap(l.Hints[seen], e.textWidth()))
	if seen+1 < total {
		fmt.Fprintf(e.stdout, "\nStill stuck? %s for the next one.\n", again)
	}
	st.SetHintsSeen(l.ID(), seen+1)
	return st.Save(e.root)
}

// wrap breaks text into lines of at most width columns at spaces, keeping
// the line breaks it already has.
func wrap(text string, width int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case len([]rune(line))+1+len([]rune(word)) > width:
				out = append(out, line)
				line = word
			default:
				line += " " + word
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
