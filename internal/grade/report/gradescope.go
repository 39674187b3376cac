package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"workbook/internal/grade"
)

// Gradescope's results.json, as its autograder specification lists the
// fields (gradescope-autograders.readthedocs.io/en/latest/specs/). Every
// text field is Markdown ("md"), so that a row difference keeps its
// columns in a code block.
type gradescopeResults struct {
	Score            float64                 `json:"score"`
	ExecutionTime    float64                 `json:"execution_time"`
	Output           string                  `json:"output"`
	OutputFormat     string                  `json:"output_format"`
	TestOutputFormat string                  `json:"test_output_format"`
	TestNameFormat   string                  `json:"test_name_format"`
	Visibility       string                  `json:"visibility"`
	StdoutVisibility string                  `json:"stdout_visibility"`
	ExtraData        map[string]any          `json:"extra_data,omitempty"`
	Tests            []gradescopeTest        `json:"tests"`
	Leaderboard      []gradescopeLeaderEntry `json:"leaderboard,omitempty"`
}

type gradescopeTest struct {
	Name         string         `json:"name"`
	NameFormat   string         `json:"name_format"`
	Number       string         `json:"number,omitempty"`
	Score        float64        `json:"score"`
	MaxScore     float64        `json:"max_score"`
	Status       string         `json:"status"`
	Output       string         `json:"output,omitempty"`
	OutputFormat string         `json:"output_format"`
	Tags         []string       `json:"tags,omitempty"`
	Visibility   string         `json:"visibility"`
	ExtraData    map[string]any `json:"extra_data,omitempty"`
}

type gradescopeLeaderEntry struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Order string  `json:"order,omitempty"`
}

// Gradescope's words.
const (
	gsPassed       = "passed"
	gsFailed       = "failed"
	gsVisible      = "visible"
	gsHidden       = "hidden"
	gsAfterDueDate = "after_due_date"
	gsMarkdown     = "md"
	gsText         = "text"
)

// GradescopeJSON writes a student's results.json for Gradescope: one test
// per check, tagged with its lesson, its statements in extra_data, hidden
// until the due date when it ran on data made at grading time (unless
// grading.json says otherwise); the capstone's statements and time on the
// leaderboard; the late policy applied to the score; and for the
// instructor alone (hidden) the ignored files and flags.
func GradescopeJSON(w io.Writer, class *grade.Class, st *grade.Student) error {
	set := class.Settings.Gradescope
	visibility := or(set.Visibility, gsVisible)
	freshVisibility := or(set.FreshVisibility, gsAfterDueDate)
	out := gradescopeResults{
		Score: st.Score(), OutputFormat: gsMarkdown, TestOutputFormat: gsMarkdown, TestNameFormat: gsText,
		Visibility: visibility, StdoutVisibility: gsHidden,
		ExtraData: map[string]any{"max": class.MaxTotal, "points": st.Total()},
	}
	if class.Seed != 0 {
		out.ExtraData["seed"] = fmt.Sprint(class.Seed)
	}
	var b strings.Builder
	if why := st.NotGradable(); why != "" && class.Settings.CompileErrorNotGradable {
		fmt.Fprintf(&b, "**Not graded: %s.** Fix it and submit again; this attempt earns no points and counts for nothing.\n\n", mdText(why))
		out.ExtraData["gradable"] = false
	}
	if st.Problem != "" {
		fmt.Fprintf(&b, "Your submission could not be graded: %s\n\n", mdText(st.Problem))
	}
	if l := st.Late; l != nil {
		fmt.Fprintf(&b, "**Late by %s (%d day(s)):** your %s of %s points count %.0f%%, so %s.\n\n",
			l.By.Round(time.Minute), l.Days, points(st.Total()), points(class.MaxTotal), 100*l.Factor, points(st.Score()))
		out.ExtraData["late_days"] = l.Days
		out.ExtraData["late_factor"] = l.Factor
	}
	b.WriteString("| Lesson | Points | Result |\n|---|---:|---|\n")
	for _, r := range st.Lessons {
		fmt.Fprintf(&b, "| %d. %s | %s / %s | %s |\n", r.Lesson.Number, mdCell(r.Lesson.Title), points(r.Points), points(r.Max), lessonSummary(r))
		out.ExecutionTime += r.Elapsed.Seconds()
		for i, c := range r.Checks {
			t := gradescopeTest{
				Name:         fmt.Sprintf("Lesson %d: %s", r.Lesson.Number, c.Name),
				NameFormat:   gsText,
				Number:       fmt.Sprintf("%d.%d", r.Lesson.Number, i+1),
				Score:        c.Points,
				MaxScore:     c.Max,
				Status:       gsFailed,
				Output:       checkOutputMD(r, c),
				OutputFormat: gsMarkdown,
				Tags:         []string{r.Lesson.Name},
				Visibility:   visibility,
			}
			if c.Passed() {
				t.Status = gsPassed
			}
			if onFresh(class, r, c) {
				t.Visibility = freshVisibility
			}
			if v := c.Verdict; v != nil {
				t.ExtraData = map[string]any{"statements": v.Statements, "data": v.Data}
				if v.MaxStatements > 0 {
					t.ExtraData["budget"] = v.MaxStatements
				}
			}
			out.Tests = append(out.Tests, t)
		}
	}
	if len(st.Ignored) > 0 {
		fmt.Fprintf(&b, "\nFiles not graded (the instructor's copies were used): %s\n", mdText(strings.Join(st.Ignored, ", ")))
	}
	out.Output = b.String()
	out.Leaderboard = leaderboard(class, st)
	if len(st.Flags) > 0 {
		var lines []string
		for _, f := range st.Flags {
			lines = append(lines, "- "+mdText(flagText(f)))
		}
		out.Tests = append(out.Tests, gradescopeTest{Name: "For review by the instructor", NameFormat: gsText, Status: gsFailed, Visibility: gsHidden,
			Output: strings.Join(lines, "\n"), OutputFormat: gsMarkdown})
	}
	return encodeJSON(w, out)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// onFresh reports whether check c ran on data made at grading time: a data
// set it ran on, or, without a verdict, one its lesson's checks ran on, was
// replaced by a fresh set.
func onFresh(class *grade.Class, r *grade.LessonResult, c *grade.CheckResult) bool {
	fresh := func(data []string) bool {
		for _, f := range class.Fresh {
			if slices.Contains(data, f.Replaces) {
				return true
			}
		}
		return false
	}
	if c.Verdict != nil {
		return fresh(c.Verdict.Data)
	}
	return slices.Contains(class.FreshLessons, r.Lesson.ID())
}

// leaderboard returns the capstone's entries on Gradescope's leaderboard:
// the statements its checks ran (fewer first) and the seconds they took
// (less first). It is empty unless grading.json asks for one, and for a
// capstone not graded.
func leaderboard(class *grade.Class, st *grade.Student) []gradescopeLeaderEntry {
	set := class.Settings.Gradescope
	if !set.Leaderboard || len(class.Lessons) == 0 {
		return nil
	}
	id := set.LeaderboardLesson
	if id == "" {
		id = class.Lessons[len(class.Lessons)-1].ID()
	}
	r := st.Lesson(id)
	if r == nil || r.Status != grade.Graded {
		return nil
	}
	statements, elapsed := 0, 0.0
	for _, c := range r.Checks {
		if c.Verdict != nil {
			statements += c.Verdict.Statements
			elapsed += time.Duration(c.Verdict.Elapsed).Seconds()
		}
	}
	return []gradescopeLeaderEntry{
		{Name: "Points", Value: r.Points},
		{Name: "Statements", Value: float64(statements), Order: "asc"},
		{Name: "Seconds", Value: elapsed, Order: "asc"},
	}
}

// checkOutputMD is checkOutput in Markdown: the explanations, which hold
// row differences aligned in columns, in code blocks.
func checkOutputMD(r *grade.LessonResult, c *grade.CheckResult) string {
	var parts []string
	if c.About != "" {
		parts = append(parts, "Checks: "+mdText(c.About)+".")
	}
	switch {
	case r.Status == grade.CompileError:
		parts = append(parts, "The lesson does not compile with your file:", fence(strings.Join(r.Build, "\n")))
	case r.Status == grade.NotAttempted:
		parts = append(parts, "Not attempted: the submission has no file of this lesson.")
	case !c.Passed():
		parts = append(parts, "**Result: "+checkLine(c)+".**")
		if t := failureText(c); t != "" {
			parts = append(parts, fence(t))
		}
		if c.Verdict == nil && len(r.Output) > 0 {
			parts = append(parts, fence(printable(strings.Join(r.Output, "\n"))))
		}
	default:
		if s := statements(c); s != "" {
			parts = append(parts, "Statements / budget: "+s+".")
		}
	}
	return strings.Join(parts, "\n\n")
}

// studentFlags are the flags a student's own feedback lists: not those
// that name another student.
func studentFlags(st *grade.Student) []grade.Flag {
	var out []grade.Flag
	for _, f := range st.Flags {
		if f.Kind != grade.FlagSimilar {
			out = append(out, f)
		}
	}
	return out
}
