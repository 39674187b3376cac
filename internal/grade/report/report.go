// Package report writes what a grading found (a grade.Class) in the forms
// instructors and platforms read: a class CSV, per-student feedback in
// Markdown, Gradescope's results.json, GitHub Classroom's autograding JSON
// and JUnit XML. Every form is written from the same model, so they agree.
package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"workbook/internal/grade"
	"workbook/internal/protocol"
)

// File names.
const (
	ClassCSV   = "class.csv"
	JUnitXML   = "junit.xml"
	Feedback   = "feedback.md"
	Gradescope = "results.json"
	Classroom  = "classroom.json"
	// StudentsDir holds one folder per student when a class is graded.
	StudentsDir = "students"
)

// WriteAll writes every report of class into dir and returns the paths
// written. A class of one (a platform's single submission) has its
// student's files at the top of dir, where the platform looks; a larger
// class has them in students/<name>/.
func WriteAll(dir string, class *grade.Class) ([]string, error) {
	var written []string
	write := func(path string, f func(*os.File) error) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		err = f(out)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		written = append(written, path)
		return nil
	}
	if err := write(filepath.Join(dir, ClassCSV), func(f *os.File) error { return CSV(f, class) }); err != nil {
		return written, err
	}
	if err := write(filepath.Join(dir, SummaryMD), func(f *os.File) error { return Summary(f, class) }); err != nil {
		return written, err
	}
	if err := write(filepath.Join(dir, JUnitXML), func(f *os.File) error { return JUnit(f, class) }); err != nil {
		return written, err
	}
	names := FileNames(class)
	for i, st := range class.Students {
		sdir := filepath.Join(dir, StudentsDir, names[i])
		if len(class.Students) == 1 {
			sdir = dir
		}
		if err := write(filepath.Join(sdir, Feedback), func(f *os.File) error { return Markdown(f, class, st) }); err != nil {
			return written, err
		}
		if err := write(filepath.Join(sdir, Gradescope), func(f *os.File) error { return GradescopeJSON(f, class, st) }); err != nil {
			return written, err
		}
		if err := write(filepath.Join(sdir, PrairieLearn), func(f *os.File) error { return PrairieLearnJSON(f, class, st) }); err != nil {
			return written, err
		}
		if err := write(filepath.Join(sdir, Classroom), func(f *os.File) error { return ClassroomJSON(f, class, st) }); err != nil {
			return written, err
		}
	}
	return written, nil
}

// FileNames returns a folder name for each student, fit for any file
// system and distinct.
func FileNames(class *grade.Class) []string {
	seen := map[string]int{}
	var out []string
	for _, st := range class.Students {
		n := safe(st.Name)
		seen[strings.ToLower(n)]++
		if k := seen[strings.ToLower(n)]; k > 1 {
			n += "-" + strconv.Itoa(k)
		}
		out = append(out, n)
	}
	return out
}

func safe(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		return "student"
	}
	return s
}

// points formats a number of points: 2, 1.5.
func points(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// checkLine is a check's status as a report shows it, with what it earned
// when that says more: "fail: right result, over the statement budget".
func checkLine(c *grade.CheckResult) string {
	v := c.Verdict
	switch {
	case c.Status == grade.CheckFail && v != nil && v.Output == protocol.PartPass && v.Budget == protocol.PartFail:
		return "right result, over the statement budget"
	case c.Status == grade.CheckFail:
		return "wrong result"
	case c.Status == grade.CheckError:
		return "returned an error"
	case c.Status == grade.CheckPanic:
		return "panicked"
	case c.Status == grade.CheckTimeout:
		return "timed out"
	case c.Status == grade.CheckBroken:
		return "could not run (a fault of the lesson, not yours)"
	case c.Status == grade.CheckCrashed:
		return "crashed the test program"
	case c.Status == grade.CheckStopped:
		return "stopped at the time limit"
	}
	return string(c.Status)
}

// statements is a check's statement count against its budget.
func statements(c *grade.CheckResult) string {
	v := c.Verdict
	if v == nil {
		return ""
	}
	s := strconv.Itoa(v.Statements)
	if v.MaxStatements > 0 {
		s += " / " + strconv.Itoa(v.MaxStatements)
	}
	return s
}

// lessonSummary says in a few words how a lesson went.
func lessonSummary(r *grade.LessonResult) string {
	switch r.Status {
	case grade.NotAttempted:
		return "not attempted"
	case grade.CompileError:
		return "does not compile"
	case grade.Stopped:
		return fmt.Sprintf("stopped at the time limit (%s)", r.Limit)
	}
	pass := 0
	for _, c := range r.Checks {
		if c.Passed() {
			pass++
		}
	}
	s := fmt.Sprintf("%d of %d checks pass", pass, len(r.Checks))
	if r.Status == grade.Crashed {
		s += "; the test program crashed"
	}
	return s
}

// failureText is what a failed check says, in full: the checker's
// messages, each with its data set.
func failureText(c *grade.CheckResult) string {
	if c.Verdict == nil {
		return ""
	}
	var b strings.Builder
	for i, f := range c.Verdict.Failures {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if len(c.Verdict.Data) > 1 && f.Data != "" {
			fmt.Fprintf(&b, "On %s:\n", f.Data)
		}
		b.WriteString(printable(f.Text()))
	}
	return b.String()
}

// printable shows control characters in text from the learner's code as
// escapes.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return '�'
		}
		return r
	}, strings.ToValidUTF8(s, "�"))
}

// flagText is one flag as a line.
func flagText(f grade.Flag) string {
	where := ""
	switch {
	case f.File != "" && f.Line > 0:
		where = fmt.Sprintf("%s:%d: ", f.File, f.Line)
	case f.File != "":
		where = f.File + ": "
	case f.Lesson != "":
		where = "lesson " + f.Lesson + ": "
	}
	return fmt.Sprintf("[%s] %s%s", f.Kind, where, f.Message)
}
