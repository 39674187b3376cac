package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"workbook/internal/grade"
	"workbook/internal/protocol"
)

// The fields each platform's documentation lists, written down here apart
// from the structs the reports are encoded from, so that a field misspelt
// or invented there fails to decode (DisallowUnknownFields) and a field
// left out is caught by the checks below.

// gradescopeSpec is results.json as Gradescope's autograder specification
// gives it (gradescope-autograders.readthedocs.io/en/latest/specs/,
// "Output format").
type gradescopeSpec struct {
	Score            *float64       `json:"score"`
	ExecutionTime    *float64       `json:"execution_time"`
	Output           string         `json:"output"`
	OutputFormat     string         `json:"output_format"`
	TestOutputFormat string         `json:"test_output_format"`
	TestNameFormat   string         `json:"test_name_format"`
	Visibility       string         `json:"visibility"`
	StdoutVisibility string         `json:"stdout_visibility"`
	ExtraData        map[string]any `json:"extra_data"`
	Tests            []struct {
		Score        *float64       `json:"score"`
		MaxScore     *float64       `json:"max_score"`
		Status       string         `json:"status"`
		Name         string         `json:"name"`
		NameFormat   string         `json:"name_format"`
		Number       string         `json:"number"`
		Output       string         `json:"output"`
		OutputFormat string         `json:"output_format"`
		Tags         []string       `json:"tags"`
		Visibility   string         `json:"visibility"`
		ExtraData    map[string]any `json:"extra_data"`
	} `json:"tests"`
	Leaderboard []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
		Order string `json:"order"`
	} `json:"leaderboard"`
}

// prairielearnSpec is the results file as PrairieLearn's external grading
// documentation gives it (docs.prairielearn.com/externalGrading/,
// "Grading results"), written to /grade/results/results.json.
type prairielearnSpec struct {
	Gradable     *bool    `json:"gradable"`
	Score        *float64 `json:"score"`
	FormatErrors []string `json:"format_errors"`
	Message      string   `json:"message"`
	Output       string   `json:"output"`
	Images       []any    `json:"images"`
	Tests        []struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Points      *float64 `json:"points"`
		MaxPoints   *float64 `json:"max_points"`
		Message     string   `json:"message"`
		Output      string   `json:"output"`
		Images      []any    `json:"images"`
	} `json:"tests"`
}

func decodeStrict(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%v in\n%s", err, data)
	}
}

var (
	gsVisibilities = []string{"visible", "hidden", "after_due_date", "after_published"}
	gsFormats      = []string{"text", "html", "simple_format", "md", "ansi"}
)

// platformClass is testClass with the capstone graded last, a fresh set,
// a leaderboard and a late policy that took 20% off ada.
func platformClass() *grade.Class {
	c := testClass()
	c.Seed = 42
	c.Fresh = []grade.FreshSet{{Name: "budget-fresh", Replaces: "budget-10"}}
	c.FreshLessons = []string{c.Lessons[1].ID()}
	c.Settings.Gradescope.Leaderboard = true
	c.Students[0].Late = &grade.Late{By: 30 * time.Hour, Days: 2, Factor: 0.8}
	for _, r := range c.Students[0].Lessons {
		for _, ch := range r.Checks {
			if ch.Verdict != nil {
				ch.Verdict.Data = []string{"budget", "budget-10"}
				ch.Verdict.Elapsed = protocol.Duration(time.Second)
			}
		}
	}
	return c
}

func TestGradescopeSpec(t *testing.T) {
	c := platformClass()
	for i, st := range c.Students {
		var b bytes.Buffer
		if err := GradescopeJSON(&b, c, st); err != nil {
			t.Fatal(err)
		}
		var got gradescopeSpec
		decodeStrict(t, b.Bytes(), &got)
		if got.Score == nil || *got.Score != st.Score() {
			t.Errorf("student %d: score %v, want %g", i, got.Score, st.Score())
		}
		if got.ExecutionTime == nil {
			t.Errorf("student %d: no execution_time", i)
		}
		if got.OutputFormat != "md" || got.TestOutputFormat != "md" || !slices.Contains(gsFormats, got.TestNameFormat) {
			t.Errorf("student %d: formats %q, %q, %q", i, got.OutputFormat, got.TestOutputFormat, got.TestNameFormat)
		}
		if !slices.Contains(gsVisibilities, got.Visibility) || !slices.Contains(gsVisibilities, got.StdoutVisibility) {
			t.Errorf("student %d: visibility %q, stdout_visibility %q", i, got.Visibility, got.StdoutVisibility)
		}
		if got.ExtraData["seed"] != "42" {
			t.Errorf("student %d: extra_data %v lacks the seed", i, got.ExtraData)
		}
		for _, test := range got.Tests {
			if test.Name == "" || (test.Status != "passed" && test.Status != "failed") ||
				!slices.Contains(gsVisibilities, test.Visibility) || !slices.Contains(gsFormats, test.OutputFormat) {
				t.Errorf("student %d: test %+v", i, test)
			}
			if test.Visibility == "hidden" {
				continue // the instructor's
			}
			if test.Score == nil || test.MaxScore == nil || len(test.Tags) != 1 {
				t.Errorf("student %d: test %s lacks a score, max_score or tag", i, test.Name)
			}
			fresh := strings.HasPrefix(test.Name, "Lesson 7")
			if fresh != (test.Visibility == "after_due_date") {
				t.Errorf("student %d: test %s on fresh data %v is %s", i, test.Name, fresh, test.Visibility)
			}
			if fresh && test.ExtraData["statements"] == nil {
				t.Errorf("student %d: test %s has no statements in extra_data", i, test.Name)
			}
		}
		if i == 0 {
			if len(got.Leaderboard) != 3 || got.Leaderboard[1].Name != "Statements" || got.Leaderboard[1].Order != "asc" {
				t.Errorf("leaderboard %+v", got.Leaderboard)
			}
			if !strings.Contains(got.Output, "Late by 30h0m0s (2 day(s))") || *got.Score != 3.2 {
				t.Errorf("late policy not applied: %g\n%s", *got.Score, got.Output)
			}
		}
	}
	// A row difference stays in a code block.
	var b bytes.Buffer
	if err := GradescopeJSON(&b, c, c.Students[1]); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "````text\\nran 11 statements") {
		t.Errorf("the failure is not in a code block:\n%s", b.String())
	}
}

func TestPrairieLearnSpec(t *testing.T) {
	c := platformClass()
	for i, st := range c.Students {
		var b bytes.Buffer
		if err := PrairieLearnJSON(&b, c, st); err != nil {
			t.Fatal(err)
		}
		var got prairielearnSpec
		decodeStrict(t, b.Bytes(), &got)
		if got.Gradable == nil || !*got.Gradable || got.Score == nil || *got.Score < 0 || *got.Score > 1 {
			t.Fatalf("student %d: gradable %v, score %v", i, got.Gradable, got.Score)
		}
		if want := st.Score() / attemptedMax(st); *got.Score != want || (i == 0 && *got.Score != 0.8) {
			t.Errorf("student %d: score %g, want %g", i, *got.Score, want)
		}
		sum := 0.0
		for _, test := range got.Tests {
			if test.Name == "" || test.Points == nil || test.MaxPoints == nil || *test.Points > *test.MaxPoints {
				t.Errorf("student %d: test %+v", i, test)
			}
			sum += *test.Points
		}
		if sum != st.Total() {
			t.Errorf("student %d: tests earn %g, want %g", i, sum, st.Total())
		}
	}

	// A submission that does not compile is not gradable: the attempt is
	// kept, and the compiler says why.
	st := c.Students[1]
	st.Lessons[1].Status = grade.CompileError
	st.Lessons[1].Build = []string{"lessons/07-n-plus-one/report.go:1:1: expected 'package'"}
	var b bytes.Buffer
	if err := PrairieLearnJSON(&b, c, st); err != nil {
		t.Fatal(err)
	}
	var got prairielearnSpec
	decodeStrict(t, b.Bytes(), &got)
	if got.Gradable == nil || *got.Gradable || len(got.FormatErrors) != 2 || !strings.Contains(got.FormatErrors[1], "expected 'package'") {
		t.Errorf("a submission that does not compile: gradable %v, format_errors %q", got.Gradable, got.FormatErrors)
	}

	// grading.json can say the same for the other formats.
	c.Settings.CompileErrorNotGradable = true
	b.Reset()
	if err := GradescopeJSON(&b, c, st); err != nil {
		t.Fatal(err)
	}
	var gs gradescopeSpec
	decodeStrict(t, b.Bytes(), &gs)
	if gs.ExtraData["gradable"] != false || !strings.Contains(gs.Output, "Not graded: it does not compile") {
		t.Errorf("Gradescope: extra_data %v, output\n%s", gs.ExtraData, gs.Output)
	}
	b.Reset()
	if err := ClassroomJSON(&b, c, st); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"status": "error"`) {
		t.Errorf("Classroom: %s", b.String())
	}
}

// A student's feedback never names the classmates their files look like.
func TestFeedbackLeavesOutSimilarity(t *testing.T) {
	c := testClass()
	c.Students[0].Flags = append(c.Students[0].Flags, grade.Flag{Kind: grade.FlagSimilar, Lesson: "07-n-plus-one", Message: "identical to bo's"})
	c.Similar = []grade.Similarity{{Lesson: "07-n-plus-one", A: "ada", B: "bo b/../x", Score: 1, Identical: true}}
	var b bytes.Buffer
	if err := Markdown(&b, c, c.Students[0]); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "identical to") {
		t.Errorf("the feedback names a classmate:\n%s", b.String())
	}
	b.Reset()
	if err := Summary(&b, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| 07-n-plus-one | ada, bo b/../x | identical |") {
		t.Errorf("the summary lacks the pair:\n%s", b.String())
	}
}

// Every entry of the folder of submissions that was not graded is in the
// summary, with why, its name made safe for Markdown.
func TestSummaryListsWhatWasNotGraded(t *testing.T) {
	c := testClass()
	var b bytes.Buffer
	if err := Summary(&b, c); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "## Not graded") {
		t.Errorf("a summary with nothing skipped has a section for it:\n%s", b.String())
	}
	c.Skipped = []grade.Skipped{{Name: "alice.rar", Why: "not a folder or an archive the grader reads; nothing graded"}, {Name: "[x](y)\nz", Why: "hidden"}}
	b.Reset()
	if err := Summary(&b, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\n\n## Not graded\n\n",
		"\n- alice.rar: not a folder or an archive the grader reads; nothing graded\n",
		"\n- \"\\[x\\]\\(y\\)\\\\nz\": hidden\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, b.String())
		}
	}
}
