package report

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/grade"
	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// testClass is a class of two: one who solved lesson 7 and left lesson 4
// undone, one whose lesson 7 is right but over budget and whose lesson 4
// does not compile.
func testClass() *grade.Class {
	l4 := &lesson.Lesson{Number: 4, Name: "join-filter", Title: "Filter through a join", Files: []string{"expenses.go"},
		Checks: []lesson.Check{{Name: "food", About: "the Food expenses"}}}
	l7 := &lesson.Lesson{Number: 7, Name: "n-plus-one", Title: "The N+1 problem", Files: []string{"report.go"},
		Checks: []lesson.Check{{Name: "report-10", About: "the report for 10 users"}, {Name: "report-100"}}}
	pass := func(name string) *grade.CheckResult {
		return &grade.CheckResult{Name: name, Status: grade.CheckPass, Points: 2, Max: 2, OutputPoints: 1, BudgetPoints: 1,
			Verdict: &protocol.Verdict{Status: protocol.StatusPass, Output: "pass", Budget: "pass", Statements: 2, MaxStatements: 2}}
	}
	overBudget := func(name string) *grade.CheckResult {
		return &grade.CheckResult{Name: name, About: "the report", Status: grade.CheckFail, Points: 1, Max: 2, OutputPoints: 1,
			Verdict: &protocol.Verdict{Status: protocol.StatusFail, Output: "pass", Budget: "fail", Statements: 11, MaxStatements: 2,
				Data: []string{"budget-10"}, Failures: []protocol.Failure{{Data: "budget-10", Kind: "budget", Message: "ran 11 statements ```\x1b[2J"}}}}
	}
	return &grade.Class{
		Lessons: []*lesson.Lesson{l4, l7}, Max: map[string]float64{l4.ID(): 2, l7.ID(): 4}, MaxTotal: 6,
		Students: []*grade.Student{
			{Name: "ada", Lessons: []*grade.LessonResult{
				{Lesson: l4, Status: grade.NotAttempted, Max: 2, Checks: []*grade.CheckResult{{Name: "food", Status: grade.CheckNotAttempted, Max: 2}}},
				{Lesson: l7, Status: grade.Graded, Points: 4, Max: 4, Checks: []*grade.CheckResult{pass("report-10"), pass("report-100")}},
			}},
			{Name: "bo b/../x", Ignored: []string{"go.mod (changed)"},
				Flags: []grade.Flag{{Kind: grade.FlagOwnConnection, Lesson: l7.ID(), File: "lessons/07-n-plus-one/report.go", Line: 9, Message: "calls sql.Open"}},
				Lessons: []*grade.LessonResult{
					{Lesson: l4, Status: grade.CompileError, Max: 2, Build: []string{"lessons/04-join-filter/expenses.go:3:1: syntax error"},
						Checks: []*grade.CheckResult{{Name: "food", Status: grade.CheckCompileError, Max: 2}}},
					{Lesson: l7, Status: grade.Graded, Points: 2, Max: 4, Checks: []*grade.CheckResult{overBudget("report-10"), overBudget("report-100")}},
				}},
		},
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := CSV(&b, testClass()); err != nil {
		t.Fatal(err)
	}
	want := "student,04-join-filter,07-n-plus-one,total,max,flags\nada,0,4,4,6,0\nbo b/../x,0,2,2,6,1\n"
	if b.String() != want {
		t.Errorf("CSV =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestMarkdown(t *testing.T) {
	c := testClass()
	var b bytes.Buffer
	if err := Markdown(&b, c, c.Students[1]); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"# Workbook feedback: bo b/../x\n",
		"**Total: 2 of 6 points**",
		"| 4. Filter through a join | 0 / 2 | does not compile |",
		"| 7. The N+1 problem | 2 / 4 | 0 of 2 checks pass |",
		"The lesson does not compile with your file:\n\n```text\nlessons/04-join-filter/expenses.go:3:1: syntax error\n```",
		"| report-10 | right result, over the statement budget | 11 / 2 | 1 / 2 |",
		"### report-10: right result, over the statement budget",
		"What it checks: the report.",
		"````text\nran 11 statements ```�[2J\n````",
		"- `go.mod (changed)`",
		`- \[own connection\] lessons/07-n-plus-one/report.go:9: calls sql.Open`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("feedback lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "\x1b") {
		t.Error("a control character from the learner's code reached the feedback")
	}
}

func TestGradescopeJSON(t *testing.T) {
	c := testClass()
	for i, st := range c.Students {
		var b bytes.Buffer
		if err := GradescopeJSON(&b, c, st); err != nil {
			t.Fatal(err)
		}
		var got gradescopeResults
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		sum, max := 0.0, 0.0
		hidden := 0
		for _, test := range got.Tests {
			sum += test.Score
			max += test.MaxScore
			if test.Name == "" || test.Visibility == "" || (test.Status != "passed" && test.Status != "failed") {
				t.Errorf("incomplete test %+v", test)
			}
			if test.Visibility == "hidden" {
				hidden++
			}
		}
		if sum != st.Total() || got.Score != st.Total() || max != c.MaxTotal {
			t.Errorf("student %d: score %g, tests sum to %g of %g; want %g of %g", i, got.Score, sum, max, st.Total(), c.MaxTotal)
		}
		if hidden != min(len(st.Flags), 1) {
			t.Errorf("student %d: %d hidden tests for %d flags", i, hidden, len(st.Flags))
		}
	}
}

func TestClassroomJSON(t *testing.T) {
	c := testClass()
	for i, want := range []struct {
		status   string
		statuses []string
	}{
		{"fail", []string{"fail", "pass", "pass"}},
		{"fail", []string{"error", "fail", "fail"}},
	} {
		var b bytes.Buffer
		if err := ClassroomJSON(&b, c, c.Students[i]); err != nil {
			t.Fatal(err)
		}
		var got classroomResults
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		var statuses []string
		sum := 0.0
		for _, test := range got.Tests {
			statuses = append(statuses, test.Status)
			sum += test.Score
		}
		if got.Version != 1 || got.MaxScore != 6 || got.Status != want.status || strings.Join(statuses, ",") != strings.Join(want.statuses, ",") || sum != c.Students[i].Total() {
			t.Errorf("student %d: %+v", i, got)
		}
	}
}

func TestJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, testClass()); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if got.Tests != 6 || got.Failures != 2 || got.Errors != 1 || got.Skipped != 1 || len(got.Suites) != 4 {
		t.Errorf("totals %+v", got)
	}
	if s := got.Suites[3]; s.Name != "bo b/../x/07-n-plus-one" || s.Failures != 2 || s.Cases[0].Failure == nil || !strings.Contains(s.Cases[0].Failure.Text, "ran 11 statements") {
		t.Errorf("suite %+v", s)
	}
}

func TestWriteAll(t *testing.T) {
	c := testClass()
	dir := t.TempDir()
	if _, err := WriteAll(dir, c); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"class.csv", "junit.xml", "students/ada/feedback.md", "students/ada/results.json",
		"students/ada/classroom.json", "students/bo_b_.._x/feedback.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	c.Students = c.Students[:1]
	one := t.TempDir()
	if _, err := WriteAll(one, c); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"results.json", "feedback.md", "classroom.json", "class.csv"} {
		if _, err := os.Stat(filepath.Join(one, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestFileNames(t *testing.T) {
	c := &grade.Class{Students: []*grade.Student{{Name: "Ann Lee"}, {Name: "ann_lee"}, {Name: "../.."}, {Name: "Ann Lee"}}}
	got := strings.Join(FileNames(c), " ")
	if got != "Ann_Lee ann_lee-2 _ Ann_Lee-3" {
		t.Errorf("FileNames = %s", got)
	}
}

func TestBundle(t *testing.T) {
	wb := t.TempDir()
	for name, content := range map[string]string{
		"go.mod": "module workbook\n", "lessons/07-x/lesson.json": "{}", "data/budget.db": "db",
		"solutions/07-x/report.go": "package x", ".git/config": "x", "docs/authoring.md": "x",
	} {
		p := filepath.Join(wb, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	dir := t.TempDir()
	path, err := Bundle(dir, wb, "go1.25.4")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if (f.Name == "setup.sh" || f.Name == "run_autograder") && f.Mode()&0o100 == 0 {
			t.Errorf("%s is not executable", f.Name)
		}
	}
	want := "setup.sh run_autograder workbook/go.mod workbook/lessons/07-x/lesson.json workbook/data/budget.db workbook/solutions/07-x/report.go"
	if strings.Join(names, " ") != want {
		t.Errorf("bundle holds %v", names)
	}
	setup, _ := os.ReadFile(filepath.Join(dir, "setup.sh"))
	if !strings.Contains(string(setup), "https://go.dev/dl/go1.25.4.linux-amd64.tar.gz") {
		t.Errorf("setup.sh does not install the Go release:\n%s", setup)
	}
}
