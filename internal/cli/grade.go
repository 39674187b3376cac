package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"workbook/internal/grade"
	"workbook/internal/grade/report"
	"workbook/internal/runner"
)

// cmdGrade is workbook grade, for instructors.
var cmdGrade = &command{
	name:  "grade",
	args:  "[submissions]",
	short: "grade a class's submissions (for instructors)",
	long: `Grade grades submissions of the workbook against this copy of it, the
instructor's. Submissions is a folder with one submission per student (a
folder mirroring the workbook, or a .zip, .tar.gz or .tgz of one), or a
single submission (as a platform hands it over: Gradescope puts it in
/autograder/submission). Anything else in the folder is not graded: grading
says what and why as it starts, and summary.md lists it.

Only the files each lesson declares as the learner's are taken from a
submission; the checks, expected results, go.mod, go.sum and data/ always
come from this copy. Other files a submission changed are listed in its
feedback and ignored. A lesson whose file is missing is not attempted.

Each check earns points for a right result and, when it has a statement
budget, for staying within it: 1 and 1 unless grading.json at the
workbook's root says otherwise:

	{"default": {"output": 2, "budget": 1},
	 "lessons": {"07-n-plus-one": {"report-1000-users": {"budget": 3}}}}

Before grading, the reference solutions in solutions/ must pass every check.

The data sets that decide grades are not all in the students' hands: each
variant (data/*-variant.db, which every student has, with its expected
results) is replaced for the grading by a set made from it with a fresh
seed, with the same schema and traps and other rows, and its expected
results are computed from the reference solutions in the same run. The
summary gives the seed; -seed repeats a grading on the same data.

Grade writes into the reports folder: class.csv (points per student and
lesson), summary.md (the seed, similar submissions, flags), junit.xml, and
for each student feedback.md, results.json (Gradescope), prairielearn.json
(PrairieLearn) and classroom.json (GitHub Classroom), in students/<name>/, or
at the top for a single submission. It prints a summary.

Each student's program runs in a sandbox where bubblewrap (bwrap) is
installed: it sees only its own program and folders, not this copy, other
students' runs, HOME or /tmp; it has no network, and nothing it starts
outlives it (docs/sandbox.md). The exit status is
0 when grading finished, whatever the grades.

Grading removes its temporary folders (workbook-grade-*) when it ends or is
interrupted; those of a grading killed outright are removed by the next
one, never those of a grading still running (each holds a lock on its own).`,
	run: withFlags((*gradeOptions).setFlags, runGrade),
}

// gradeOptions are the flags of grade.
type gradeOptions struct {
	out          string
	workers      int
	timeout      time.Duration
	checkTimeout time.Duration
	points       string
	gradescope   bool
	seed         uint64
	metadata     string
	prairielearn string
	sandbox      string
}

// setFlags declares the flags of grade into o.
func (o *gradeOptions) setFlags(fs *flagSet) {
	fs.StringVar(&o.out, "o", "grades", "Where the reports go: the folder `dir` (default \"grades\").")
	fs.IntVar(&o.workers, "j", 0, "How many programs build and run at once (default: one per CPU).")
	fs.DurationVar(&o.timeout, "timeout", 0, `Each lesson's time limit once built (default: the lesson's own,
usually 60s). A program over it is killed with all it started.`)
	fs.DurationVar(&o.checkTimeout, "check-timeout", 0, "Each check's limit per data set (default: the check's own, 5s).")
	fs.StringVar(&o.points, "points", "", "The points `file` (default grading.json at the workbook's root).")
	fs.Uint64Var(&o.seed, "seed", 0, "The `n` that seeds the grading-time data sets (default: a fresh one, which\n"+
		"the summary and summary.md record: give it again to repeat a grading).")
	fs.StringVar(&o.metadata, "metadata", "", `Gradescope's submission_metadata.json `+"`file`"+`, for the late policy of
grading.json (default /autograder/submission_metadata.json when it exists).`)
	fs.StringVar(&o.prairielearn, "prairielearn", "", "Also write PrairieLearn's results for a single submission to `file`\n"+
		"(its external grader reads "+report.PrairieLearnResults+").")
	fs.StringVar(&o.sandbox, "sandbox", "auto", "Whether each student's program runs in a sandbox (bubblewrap), as `mode`\n"+
		"says: auto (where bwrap is installed and works; grading says when it is\n"+
		"not), required (fail without one) or off.")
	fs.BoolVar(&o.gradescope, "gradescope", false, `Also write Gradescope's autograder bundle (setup.sh, run_autograder,
autograder.zip) into <dir>/gradescope-autograder. Submissions may
then be left out.`)
}

// runGrade grades the submissions args names against this copy of the
// workbook, or writes Gradescope's autograder bundle.
func runGrade(e *env, opt gradeOptions, args []string) int {
	switch {
	case opt.timeout < 0 || opt.checkTimeout < 0:
		return e.usageError("a timeout must be positive")
	case opt.workers < 0:
		return e.usageError("-j must be positive")
	case opt.sandbox != string(grade.SandboxAuto) && opt.sandbox != string(grade.SandboxOff) && opt.sandbox != string(grade.SandboxRequired):
		return e.usageError("-sandbox is off, auto or required")
	case len(args) > 1:
		return e.usageError("name one folder of submissions (or one submission)")
	case len(args) == 0 && !opt.gradescope:
		return e.usageError("name the folder of submissions (or one submission)")
	case opt.prairielearn != "" && len(args) == 0:
		return e.usageError("-prairielearn needs the submission to grade")
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	outDir, err := filepath.Abs(opt.out)
	if err != nil {
		return e.fail(err)
	}
	if opt.gradescope {
		if code := e.gradescopeBundle(outDir); code != exitOK {
			return code
		}
	}
	if len(args) == 0 {
		return exitOK
	}
	// Interrupted or terminated, grading stops its programs and removes
	// its temporary folders before the command exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	class, err := grade.Grade(ctx, grade.Options{
		Workbook: e.root, Submissions: args[0], Workers: opt.workers,
		Timeout: opt.timeout, CheckTimeout: opt.checkTimeout, PointsFile: opt.points,
		Exclude: []string{outDir}, Seed: opt.seed, Metadata: opt.metadata, Sandbox: grade.SandboxMode(opt.sandbox),
		Log: func(line string) { fmt.Fprintln(e.stderr, line) },
	})
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "workbook: interrupted; nothing was written")
		return exitFail
	}
	if err != nil {
		return e.fail(err)
	}
	if _, err := report.WriteAll(outDir, class); err != nil {
		return e.fail(err)
	}
	if opt.prairielearn != "" {
		if len(class.Students) != 1 {
			return e.fail(fmt.Errorf("-prairielearn grades one submission, not %d", len(class.Students)))
		}
		if err := report.WritePrairieLearn(opt.prairielearn, class); err != nil {
			return e.fail(err)
		}
	}
	e.renderClass(class, outDir)
	return exitOK
}

// gradescopeBundle writes Gradescope's autograder bundle.
func (e *env) gradescopeBundle(outDir string) int {
	version := runtime.Version()
	if goCmd, err := runner.GoTools(); err == nil {
		if out, err := exec.Command(goCmd, "env", "GOVERSION").Output(); err == nil && strings.HasPrefix(string(out), "go") {
			version = strings.TrimSpace(string(out))
		}
	}
	zip, err := report.Bundle(filepath.Join(outDir, report.BundleDir), e.root, version)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Gradescope autograder: upload %s\n", e.show(zip))
	return exitOK
}

// renderClass prints the grades, the flags and where the reports are.
func (e *env) renderClass(c *grade.Class, outDir string) {
	w := e.stdout
	fmt.Fprintf(w, "Graded %d submission(s) in %.1fs against the workbook in %s\n\n", len(c.Students), c.Elapsed.Seconds(), c.Workbook)
	width := len("student")
	for _, st := range c.Students {
		width = max(width, len(st.Name))
	}
	head := fmt.Sprintf("  %-*s", width, "student")
	for _, l := range c.Lessons {
		head += fmt.Sprintf("  %8s", fmt.Sprintf("lesson %d", l.Number))
	}
	fmt.Fprintln(w, head+"     total")
	flags := 0
	for _, st := range c.Students {
		line := fmt.Sprintf("  %-*s", width, st.Name)
		for _, r := range st.Lessons {
			cell := fmt.Sprintf("%g/%g", r.Points, r.Max)
			switch r.Status {
			case grade.NotAttempted:
				cell = "-"
			case grade.CompileError:
				cell = "build"
			}
			line += fmt.Sprintf("  %8s", cell)
		}
		line += fmt.Sprintf("  %8s", fmt.Sprintf("%g/%g", st.Total(), c.MaxTotal))
		if st.Problem != "" {
			line += "  (" + st.Problem + ")"
		}
		if len(st.Flags) > 0 {
			line += fmt.Sprintf("  %d flag(s)", len(st.Flags))
		}
		flags += len(st.Flags)
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\n  (- not attempted, build: does not compile)")
	if line := report.FreshLine(c); line != "" {
		fmt.Fprintf(w, "\n%s\n", line)
	}
	for _, n := range c.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	if flags > 0 {
		fmt.Fprintf(w, "\n%d flag(s) to review:\n", flags)
		for _, st := range c.Students {
			for _, f := range st.Flags {
				fmt.Fprintf(w, "  %s: %s\n", st.Name, printable(flagLine(f)))
			}
		}
	}
	if len(c.Similar) > 0 {
		fmt.Fprintf(w, "\n%d pair(s) of submissions look alike (see %s):\n", len(c.Similar), report.SummaryMD)
		for _, s := range c.Similar {
			how := fmt.Sprintf("%.0f%%", 100*s.Score)
			if s.Identical {
				how = "identical"
			}
			fmt.Fprintf(w, "  lesson %s: %s and %s, %s\n", s.Lesson, printable(s.A), printable(s.B), how)
		}
	}
	fmt.Fprintf(w, "\nReports in %s: %s, %s, %s, and per student %s, %s (Gradescope), %s (PrairieLearn), %s (GitHub Classroom)\n",
		e.show(outDir), report.ClassCSV, report.JUnitXML, report.SummaryMD, report.Feedback, report.Gradescope, report.PrairieLearn, report.Classroom)
}

func flagLine(f grade.Flag) string {
	where := ""
	if f.Lesson != "" {
		where = "lesson " + f.Lesson
	}
	if f.File != "" {
		where = f.File
		if f.Line > 0 {
			where = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
	}
	if where != "" {
		where += ": "
	}
	return fmt.Sprintf("[%s] %s%s", f.Kind, where, f.Message)
}
