package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"workbook/internal/grade"
)

// PrairieLearn is the name of PrairieLearn's results file in the reports;
// its external grader reads it at PrairieLearnResults.
const (
	PrairieLearn        = "prairielearn.json"
	PrairieLearnResults = "/grade/results/results.json"
)

// PrairieLearn's external grading results, as its documentation lists the
// fields (docs.prairielearn.com/externalGrading/, "Grading results"):
// score from 0 to 1; gradable false, with format_errors, when the
// submission cannot be graded at all, so that the student does not lose
// the attempt; a message and output for the whole; and one test per check.
type prairielearnResults struct {
	Gradable     bool               `json:"gradable"`
	Score        float64            `json:"score"`
	FormatErrors []string           `json:"format_errors,omitempty"`
	Message      string             `json:"message"`
	Output       string             `json:"output"`
	Tests        []prairielearnTest `json:"tests"`
}

type prairielearnTest struct {
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	Points      float64 `json:"points"`
	MaxPoints   float64 `json:"max_points"`
	Message     string  `json:"message"`
	Output      string  `json:"output"`
}

// PrairieLearnJSON writes a student's results for PrairieLearn's external
// grader. A submission none of whose attempted lessons compiles, that
// attempts none, or that could not be read, is not gradable, whatever
// grading.json says: its compiler messages go in format_errors and the
// attempt is not used up. A PrairieLearn question asks for one lesson's
// files (or a few), so the score is the points, after the late policy,
// over the most the lessons the submission holds can earn.
func PrairieLearnJSON(w io.Writer, class *grade.Class, st *grade.Student) error {
	out := prairielearnResults{Gradable: true}
	why := st.NotGradable()
	if why == "" && attemptedMax(st) == 0 {
		why = "it holds no lesson's file"
	}
	if why != "" {
		out.Gradable = false
		out.Message = "Not graded: " + why + ". Fix it and submit again; this attempt is not counted."
		if st.Problem != "" {
			out.FormatErrors = append(out.FormatErrors, printable(st.Problem))
		}
		for _, r := range st.Lessons {
			if r.Status == grade.CompileError {
				for _, line := range r.Build {
					out.FormatErrors = append(out.FormatErrors, printable(line))
				}
			}
		}
		out.Tests = []prairielearnTest{}
		return encodeJSON(w, out)
	}
	most := attemptedMax(st)
	if most > 0 {
		out.Score = min(1, max(0, st.Score()/most))
	}
	out.Message = fmt.Sprintf("%s of %s points.", points(st.Score()), points(most))
	if l := st.Late; l != nil {
		out.Message = fmt.Sprintf("%s of %s points, late by %d day(s): %.0f%% of %s.", points(st.Score()), points(most), l.Days, 100*l.Factor, points(st.Total()))
	}
	var summary []string
	for _, r := range st.Lessons {
		summary = append(summary, fmt.Sprintf("Lesson %d, %s: %s of %s points, %s", r.Lesson.Number, r.Lesson.Title, points(r.Points), points(r.Max), lessonSummary(r)))
		for _, c := range r.Checks {
			t := prairielearnTest{
				Name:        fmt.Sprintf("Lesson %d: %s", r.Lesson.Number, c.Name),
				Description: c.About,
				Points:      c.Points,
				MaxPoints:   c.Max,
				Message:     checkLine(c),
				Output:      checkOutput(r, c),
			}
			if c.Passed() {
				t.Message = "passed"
			}
			out.Tests = append(out.Tests, t)
		}
	}
	if len(st.Ignored) > 0 {
		summary = append(summary, "", "Files not graded (the instructor's copies were used): "+strings.Join(st.Ignored, ", "))
	}
	out.Output = printable(strings.Join(summary, "\n"))
	return encodeJSON(w, out)
}

// WritePrairieLearn writes the PrairieLearn results of a class of one to
// path (PrairieLearnResults, where its external grader reads them),
// creating its folder.
func WritePrairieLearn(path string, class *grade.Class) error {
	if len(class.Students) != 1 {
		return fmt.Errorf("report: PrairieLearn grades one submission, not %d", len(class.Students))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := PrairieLearnJSON(&b, class, class.Students[0]); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// attemptedMax is the most the lessons a student attempted can earn.
func attemptedMax(st *grade.Student) float64 {
	most := 0.0
	for _, r := range st.Lessons {
		if r.Status != grade.NotAttempted {
			most += r.Max
		}
	}
	return most
}
