package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/runner"
)

// cmdVerify is workbook verify: every lesson passed, run again.
var cmdVerify = &command{
	name:  "verify",
	short: "run every lesson you have passed again, and list which still pass",
	long: `Verify runs the checks of every lesson you have passed again, one after
the other, and lists which still pass and which fail now: a change made for
a later lesson (a helper shared, a query rewritten) can break an earlier
one. A lesson that fails now stays passed before; list shows it as
failing until a run passes it again.

The exit status is 0 when every lesson you passed still passes, and 1 when
one fails now.`,
	run: noFlags(runVerify),
}

// verified is what verify found of one lesson.
type verified struct {
	lesson *lesson.Lesson
	rec    lessonRecord // before this run
	passed bool
	// missing is set when a learner's file is gone, so the lesson could not
	// run.
	missing bool
}

// runVerify runs every lesson the learner passed again.
func runVerify(e *env, args []string) int {
	if len(args) > 0 {
		return e.usageError("verify takes no arguments")
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	st, err := progress.Load(e.root)
	if err != nil {
		return e.fail(err)
	}
	var todo []*lesson.Lesson
	for _, l := range e.lessons {
		if st.Passed(l.ID()) {
			todo = append(todo, l)
		}
	}
	if len(todo) == 0 {
		fmt.Fprintf(e.stdout, "You have not passed a lesson yet, so there is nothing to verify. Start with: %s\n", e.self)
		return exitOK
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	v := e.view()
	fmt.Fprintf(e.stdout, "%s\n", e.style.bold(fmt.Sprintf("Running the %d %s you passed again:", len(todo), plural(len(todo), "lesson", "lessons"))))
	var results []verified
	for _, l := range todo {
		r := verified{lesson: l, rec: recordOf(st, l)}
		if len(l.Missing()) > 0 {
			r.missing = true
		} else {
			out, err := runner.Run(ctx, e.runSpec(l, runOptions{}))
			if errors.Is(err, context.Canceled) {
				fmt.Fprintln(e.stderr, "workbook: interrupted; the checks were stopped")
				return exitFail
			}
			if err != nil {
				return e.fail(err)
			}
			r.passed = out.Passed()
		}
		st.Record(l.ID(), r.passed, time.Now())
		v.renderVerified(r)
		results = append(results, r)
	}
	if err := st.Save(e.root); err != nil {
		fmt.Fprintf(e.stderr, "workbook: your progress could not be saved: %v\n", err)
	}
	return v.renderVerifySummary(results)
}

// renderVerified shows one lesson verify ran again.
func (v *view) renderVerified(r verified) {
	state, note := v.style.green("PASS"), ""
	switch {
	case r.missing:
		state, note = v.style.red("FAIL"), fmt.Sprintf("  (your file is missing: %s reset %d puts it back)", v.self, r.lesson.Number)
	case !r.passed:
		state, note = v.style.red("FAIL"), "  ("+r.rec.passedBefore()+")"
	}
	fmt.Fprintf(v.w, "  %s  %2d  %s%s\n", state, r.lesson.Number, r.lesson.Title, note)
}

// renderVerifySummary says what verify found in all, and returns verify's
// exit status.
func (v *view) renderVerifySummary(results []verified) int {
	var failing []*lesson.Lesson
	for _, r := range results {
		if !r.passed {
			failing = append(failing, r.lesson)
		}
	}
	fmt.Fprintln(v.w)
	if len(failing) == 0 {
		fmt.Fprintf(v.w, "%s\n", v.style.green(fmt.Sprintf("All %d %s you passed still pass.", len(results), plural(len(results), "lesson", "lessons"))))
		return exitOK
	}
	fmt.Fprintf(v.w, "Of the %d %s you passed, %d %s now. See what broke: %s\n",
		len(results), plural(len(results), "lesson", "lessons"), len(failing), plural(len(failing), "fails", "fail"), v.runCmd(failing[0]))
	return exitFail
}
