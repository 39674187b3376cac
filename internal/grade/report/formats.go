package report

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"workbook/internal/grade"
)

// CSV writes the class's grades: one row per student, a column of points
// per lesson, the total, the most there was, and the count of flags.
func CSV(w io.Writer, class *grade.Class) error {
	cw := csv.NewWriter(w)
	head := []string{"student"}
	for _, l := range class.Lessons {
		head = append(head, l.ID())
	}
	head = append(head, "total", "max", "flags")
	cw.Write(head)
	for _, st := range class.Students {
		row := []string{st.Name}
		for _, r := range st.Lessons {
			row = append(row, points(r.Points))
		}
		row = append(row, points(st.Total()), points(class.MaxTotal), fmt.Sprint(len(st.Flags)))
		cw.Write(csvSafe(row))
	}
	cw.Flush()
	return cw.Error()
}

// Markdown writes a student's feedback: the points of every lesson, then
// each failed check's explanation, the files that were ignored, and the
// flags.
func Markdown(w io.Writer, class *grade.Class, st *grade.Student) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Workbook feedback: %s\n\n", mdText(st.Name))
	if st.Problem != "" {
		fmt.Fprintf(&b, "Your submission could not be graded: %s\n\n", mdText(st.Problem))
	}
	fmt.Fprintf(&b, "**Total: %s of %s points**\n\n", points(st.Total()), points(class.MaxTotal))
	b.WriteString("| Lesson | Points | Result |\n|---|---:|---|\n")
	for _, r := range st.Lessons {
		fmt.Fprintf(&b, "| %d. %s | %s / %s | %s |\n", r.Lesson.Number, mdCell(r.Lesson.Title), points(r.Points), points(r.Max), lessonSummary(r))
	}
	for _, r := range st.Lessons {
		if r.Status == grade.NotAttempted {
			continue
		}
		fmt.Fprintf(&b, "\n## Lesson %d: %s (%s / %s)\n\n", r.Lesson.Number, mdText(r.Lesson.Title), points(r.Points), points(r.Max))
		if r.Unchanged {
			b.WriteString("Your file is the exercise as shipped: it was graded as it is.\n\n")
		}
		if r.Status == grade.CompileError {
			b.WriteString("The lesson does not compile with your file:\n\n")
			b.WriteString(fence(strings.Join(r.Build, "\n")))
			continue
		}
		b.WriteString("| Check | Result | Statements / budget | Points |\n|---|---|---:|---:|\n")
		for _, c := range r.Checks {
			fmt.Fprintf(&b, "| %s | %s | %s | %s / %s |\n", c.Name, checkLine(c), statements(c), points(c.Points), points(c.Max))
		}
		switch r.Status {
		case grade.Stopped:
			fmt.Fprintf(&b, "\nThe checks were stopped after %s: your code probably never returns (a loop that never ends, rows left open while another statement waits, a transaction never committed).\n", r.Limit)
		case grade.Crashed:
			b.WriteString("\nThe test program ended before every check gave its verdict (a panic in a goroutine of yours, os.Exit, log.Fatal).")
			if len(r.Output) == 0 {
				b.WriteString(" It printed nothing: something ended it at once, such as os.Exit.\n")
			} else {
				b.WriteString(" It ended with:\n\n")
			}
		}
		if r.Status != grade.Graded && len(r.Output) > 0 {
			b.WriteString(fence(printable(strings.Join(r.Output, "\n"))))
		}
		for _, c := range r.Checks {
			if c.Passed() || c.Verdict == nil {
				continue
			}
			fmt.Fprintf(&b, "\n### %s: %s\n\n", c.Name, checkLine(c))
			if c.About != "" {
				fmt.Fprintf(&b, "What it checks: %s.\n\n", mdText(c.About))
			}
			b.WriteString(fence(failureText(c)))
		}
	}
	if len(st.Ignored) > 0 {
		b.WriteString("\n## Files not graded\n\nThese files differ from the workbook but are not the lessons' files you edit, so the instructor's copies were used instead:\n\n")
		for _, f := range st.Ignored {
			fmt.Fprintf(&b, "- `%s`\n", strings.ReplaceAll(f, "`", "'"))
		}
	}
	if flags := studentFlags(st); len(flags) > 0 {
		b.WriteString("\n## For review\n\nThe grader noticed these in your files; they do not change your points, and your instructor may look at them:\n\n")
		for _, f := range flags {
			fmt.Fprintf(&b, "- %s\n", mdText(flagText(f)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fence puts text in a code block that its own backticks cannot close.
func fence(text string) string {
	ticks := "```"
	for strings.Contains(text, ticks) {
		ticks += "`"
	}
	return ticks + "text\n" + strings.TrimRight(text, "\n") + "\n" + ticks + "\n"
}

// mdText makes text that came from a submission (a student's folder name,
// an error their code returned) plain text in Markdown: no HTML, and no
// link, image, emphasis or heading made of its characters.
func mdText(s string) string { return mdEscaper.Replace(printable(s)) }

var mdEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", `\`, `\\`,
	"[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`, "!", `\!`,
	"*", `\*`, "_", `\_`, "`", "\\`", "#", `\#`)

func mdCell(s string) string { return strings.ReplaceAll(mdText(s), "|", `\|`) }

// checkOutput is what a student reads about one check on a platform.
func checkOutput(r *grade.LessonResult, c *grade.CheckResult) string {
	var parts []string
	if c.About != "" {
		parts = append(parts, "Checks: "+c.About+".")
	}
	switch {
	case r.Status == grade.CompileError:
		parts = append(parts, "The lesson does not compile with your file:\n"+strings.Join(r.Build, "\n"))
	case r.Status == grade.NotAttempted:
		parts = append(parts, "Not attempted: the submission has no file of this lesson.")
	case !c.Passed():
		parts = append(parts, "Result: "+checkLine(c)+".")
		if t := failureText(c); t != "" {
			parts = append(parts, t)
		}
		if c.Verdict == nil && len(r.Output) > 0 {
			parts = append(parts, strings.Join(r.Output, "\n"))
		}
	default:
		if s := statements(c); s != "" {
			parts = append(parts, "Statements / budget: "+s+".")
		}
	}
	return printable(strings.Join(parts, "\n\n"))
}

// classroomResults is the JSON GitHub Classroom's autograding reporter
// reads (base64-encoded) from a runner's result.
type classroomResults struct {
	Version  int             `json:"version"`
	Status   string          `json:"status"`
	MaxScore float64         `json:"max_score"`
	Tests    []classroomTest `json:"tests"`
}

type classroomTest struct {
	Name     string  `json:"name"`
	Status   string  `json:"status"`
	Score    float64 `json:"score"`
	Message  string  `json:"message,omitempty"`
	TestCode string  `json:"test_code"`
	Filename string  `json:"filename"`
	LineNo   int     `json:"line_no"`
}

// The statuses of GitHub Classroom's autograding reporter, for a test and
// for the whole run: its own words, not the workbook's.
const (
	classroomPass  = "pass"
	classroomFail  = "fail"
	classroomError = "error"
)

// ClassroomJSON writes a student's results in the format of GitHub
// Classroom's autograding reporter: one test per check, with its score.
func ClassroomJSON(w io.Writer, class *grade.Class, st *grade.Student) error {
	out := classroomResults{Version: 1, Status: classroomPass, MaxScore: class.MaxTotal}
	for _, r := range st.Lessons {
		for _, c := range r.Checks {
			t := classroomTest{
				Name:     fmt.Sprintf("Lesson %d: %s", r.Lesson.Number, c.Name),
				Status:   classroomPass,
				Score:    c.Points,
				TestCode: fmt.Sprintf("workbook run %d", r.Lesson.Number),
			}
			if len(r.Lesson.Files) > 0 {
				t.Filename = filepath.ToSlash(r.Lesson.RelPath(r.Lesson.Files[0]))
			}
			if !c.Passed() {
				t.Status = classroomFail
				switch c.Status {
				case grade.CheckCompileError, grade.CheckCrashed, grade.CheckStopped, grade.CheckBroken:
					t.Status = classroomError
				}
				t.Message = checkOutput(r, c)
				out.Status = classroomFail
			}
			out.Tests = append(out.Tests, t)
		}
	}
	if st.Problem != "" || (class.Settings.CompileErrorNotGradable && st.NotGradable() != "") {
		out.Status = classroomError
	}
	return encodeJSON(w, out)
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes the class as JUnit XML: a suite per student and lesson, a
// case per check. A wrong result is a failure; a compile error, panic,
// timeout or crash an error; a lesson not attempted is skipped.
func JUnit(w io.Writer, class *grade.Class) error {
	out := junitSuites{Name: "workbook grade"}
	for _, st := range class.Students {
		for _, r := range st.Lessons {
			s := junitSuite{Name: st.Name + "/" + r.Lesson.ID(), Time: fmt.Sprintf("%.3f", r.Elapsed.Seconds())}
			for _, c := range r.Checks {
				jc := junitCase{Name: c.Name, Classname: st.Name + "." + r.Lesson.ID(), Time: "0"}
				if c.Verdict != nil {
					jc.Time = fmt.Sprintf("%.3f", time.Duration(c.Verdict.Elapsed).Seconds())
				}
				p := &junitProblem{Message: checkLine(c), Type: string(c.Status), Text: xmlText(checkOutput(r, c))}
				switch c.Status {
				case grade.CheckPass:
				case grade.CheckFail:
					jc.Failure = p
					s.Failures++
				case grade.CheckNotAttempted:
					jc.Skipped = &junitProblem{Message: "not attempted", Type: "not attempted"}
					s.Skipped++
				default:
					jc.Error = p
					s.Errors++
				}
				s.Tests++
				s.Cases = append(s.Cases, jc)
			}
			out.Tests += s.Tests
			out.Failures += s.Failures
			out.Errors += s.Errors
			out.Skipped += s.Skipped
			out.Suites = append(out.Suites, s)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// xmlText drops the characters XML 1.0 cannot hold.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
}
