package checker

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"workbook/internal/protocol"
)

func TestCallerProblem(t *testing.T) {
	const dir = "/tree/lessons/04-join-filter"
	learner := []string{dir + "/expenses.go"}
	frame := func(fn, file string) runtime.Frame { return runtime.Frame{Function: fn, File: file, Line: 7} }
	runner := frame("testing.tRunner", "/go/src/testing/testing.go")
	for _, tc := range []struct {
		name   string
		frames []runtime.Frame
		want   string // "" or part of the problem
	}{
		{"the test calls Run", []runtime.Frame{frame("joinfilter.TestFood", dir+"/check_test.go"), runner}, ""},
		{"through a helper in a check file", []runtime.Frame{
			frame("joinfilter.categoryCheck.func1", dir+"/check_test.go"),
			frame("joinfilter.TestFood", dir+"/check_test.go"), runner}, ""},
		{"a grading build's copy of the check file", []runtime.Frame{frame("joinfilter.TestFood", dir+"/check_test_grade.go"), runner}, ""},
		{"runtime frames between", []runtime.Frame{frame("runtime.call16", "/go/src/runtime/asm.s"), frame("joinfilter.TestFood", dir+"/check_test.go"), runner}, ""},
		{"from the learner's file", []runtime.Frame{frame("joinfilter.ExpensesInCategory", dir+"/expenses.go"),
			frame("joinfilter.TestFood", dir+"/check_test.go"), runner}, "learner's file expenses.go:7"},
		{"a test the learner wrote", []runtime.Frame{frame("joinfilter.fake", dir+"/expenses.go"), runner}, "learner's file"},
		{"through reflect", []runtime.Frame{frame("reflect.Value.call", "/go/src/reflect/value.go"),
			frame("joinfilter.TestFood", dir+"/check_test.go"), runner}, "called through reflect.Value.call"},
		{"from another lesson", []runtime.Frame{frame("nplusone.TestX", "/tree/lessons/07-n-plus-one/check_test.go"), runner}, "not by the lesson's checks"},
		{"outside any test: init or a goroutine", []runtime.Frame{frame("joinfilter.TestFood", dir+"/check_test.go"),
			frame("runtime.goexit", "/go/src/runtime/asm.s")}, "outside a test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := callerProblem(tc.frames, []string{dir}, learner)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("callerProblem = %q, want %q", got, tc.want)
			}
		})
	}
}

// gradedFixture writes what a grader hands a run of lesson 4 (expected
// results from the right answer, the budget data sets) and returns the
// path of its grading file and of the results file.
func gradedFixture(t *testing.T) (gradingFile, resultsFile, scratch string) {
	t.Helper()
	cfg := testConfig(t)
	withExpected(t, cfg)
	expected := map[string][]byte{}
	for _, d := range foodCheck.Data {
		b, err := os.ReadFile(filepath.Join(cfg.lessonDir, "expected", foodCheck.Name, d+".json"))
		if err != nil {
			t.Fatal(err)
		}
		expected[foodCheck.Name+"/"+d+".json"] = b
	}
	data := map[string][]byte{}
	for _, d := range foodCheck.Data {
		b, err := cfg.seeds.bytes(d)
		if err != nil {
			t.Fatal(err)
		}
		data[d] = b
	}
	tree := t.TempDir()
	lessonDir := filepath.Join(tree, "lessons", "04-join-filter")
	os.MkdirAll(lessonDir, 0o755)
	os.WriteFile(filepath.Join(lessonDir, "expenses.go"), []byte("package joinfilter\n"), 0o644)
	os.WriteFile(filepath.Join(lessonDir, "lesson.json"), []byte(`{"number": 4, "name": "join-filter", "title": "Filter",
		"files": ["expenses.go"], "checks": [{"name": "food-by-amount"}], "hints": ["h"]}`), 0o644)
	resultsFile = filepath.Join(t.TempDir(), "results.jsonl")
	scratch = t.TempDir()
	path, err := protocol.WritePrivate(t.TempDir(), protocol.Grading{
		Key: strings.Repeat("5a", 32), Results: resultsFile, Lesson: lessonDir, Timeout: "3s", Scratch: scratch,
		Sources: map[string]string{"expenses.go": "package joinfilter\n\n// as graded\n"},
	}, expected, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return path, resultsFile, scratch
}

func TestGradedRun(t *testing.T) {
	path, resultsFile, scratch := gradedFixture(t)
	run, err := loadGraded(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("the private folder is still there after loading: %v", err)
	}
	cfg := run.config()
	if cfg.timeout.String() != "3s" {
		t.Errorf("timeout = %s", cfg.timeout)
	}
	// The expected results and the data come from what was handed over.
	if v := cfg.run(foodCheck, foodBody(foodByAmount)); !v.Passed() {
		t.Errorf("the right answer: %+v", v.Failures)
	}
	if v := cfg.run(foodCheck, foodBody(foodWithoutTheCheapest)); v.Status != protocol.StatusFail {
		t.Errorf("a wrong answer: %s", v.Status)
	}
	// The private copies go where the grader said.
	cfg.run(foodCheck, func(c *C) {
		if !strings.HasPrefix(c.Path(), scratch+string(filepath.Separator)) {
			t.Errorf("the copy %s is not in the grader's scratch folder %s", c.Path(), scratch)
		}
	})
	other := Check{Name: "food-by-amount", Data: []string{"budget-10"}}
	v := cfg.run(other, func(c *C) {})
	if v.Status != protocol.StatusBroken || !strings.Contains(v.Failures[0].Message, "the data sets are: budget, budget-variant") {
		t.Errorf("a data set not handed over: %+v", v)
	}
	// The learner's files are read from what was handed over, not from
	// the disk (a sandboxed run is shown neither).
	if len(cfg.learnerFiles) != 1 {
		t.Fatalf("learner's files: %v", cfg.learnerFiles)
	}
	if src, err := cfg.readLearner(cfg.learnerFiles[0]); err != nil || !strings.Contains(string(src), "as graded") {
		t.Errorf("readLearner(%s) = %q, %v; want the file as handed over", cfg.learnerFiles[0], src, err)
	}
	// Records are signed with the run's key.
	if err := cfg.record(protocol.Record{Event: "start", Check: "food-by-amount"}); err != nil {
		t.Fatal(err)
	}
	got, err := protocol.ReadSigned(resultsFile, run.key)
	if err != nil || len(got.Records) != 1 || got.Rejected != 0 {
		t.Errorf("ReadSigned = %+v, %v", got, err)
	}
	// A check begins once.
	frames := []runtime.Frame{{Function: "joinfilter.TestFood", File: cfg.lessonDir + "/check_test.go"}, {Function: "testing.tRunner"}}
	if why := run.begin("food-by-amount", frames, cfg.learnerFiles); why != "" {
		t.Errorf("first begin refused: %s", why)
	}
	if why := run.begin("food-by-amount", frames, cfg.learnerFiles); !strings.Contains(why, "second time") {
		t.Errorf("second begin = %q", why)
	}
}

func TestGradedRunRefusesABadHandOver(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "grading.json")
	os.WriteFile(plain, []byte("{}"), 0o600)
	if _, err := loadGraded(plain, nil); err == nil {
		t.Error("a grading file outside a private folder was accepted")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("a folder not named as private was removed: %v", err)
	}
}

// TestGradedRunUpdate: a graded run told to write the expected results of
// a data set (the grader's reference run on grading-time data) writes them
// where the grader said, and compares the other data sets as ever.
func TestGradedRunUpdate(t *testing.T) {
	path, _, _ := gradedFixture(t)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g protocol.Grading
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "expected-out")
	g.Update, g.UpdateData = out, []string{"budget-variant"}
	raw, _ = json.Marshal(g)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	run, err := loadGraded(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := run.config().run(foodCheck, foodBody(foodWithoutTheCheapest))
	if v.Status != protocol.StatusFail || len(v.Failures) != 1 || v.Failures[0].Data != "budget" {
		t.Errorf("a wrong answer should fail on budget alone, compared; got %s %+v", v.Status, v.Failures)
	}
	written, err := os.ReadFile(filepath.Join(out, foodCheck.Name, "budget-variant.json"))
	if err != nil || !strings.HasPrefix(string(written), "[") {
		t.Errorf("the expected result on budget-variant was not written: %v %q", err, written)
	}
	if _, err := os.Stat(filepath.Join(out, foodCheck.Name, "budget.json")); err == nil {
		t.Error("the expected result on budget was written, not compared")
	}
}

// TestGeneratedSetsGoThroughTheGrader: a run of the reference solutions
// hands the grader each set it generated, and a student's run takes the
// set it was handed instead of making its own.
func TestGeneratedSetsGoThroughTheGrader(t *testing.T) {
	// A size no other test generates: the sets made are kept per process.
	const users = 301
	name := generatedName(users)

	calibrating := testConfig(t)
	out := t.TempDir()
	calibrating.graded = &gradedRun{update: out}
	path, err := calibrating.generatedCopy("budget-10", users, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	made, _ := os.ReadFile(path)
	handed, err := os.ReadFile(filepath.Join(out, protocol.UpdateGenerated, name+".db"))
	if err != nil || len(made) == 0 || !bytes.Equal(handed, made) {
		t.Fatalf("the set made was not handed to the grader as it is: %v (%d bytes made, %d handed)", err, len(made), len(handed))
	}

	// What the grader hands over is what the run uses, made or not: here
	// the 10 users of budget-10 under the name of a set of 302.
	other := generatedName(users + 1)
	small, err := calibrating.seeds.bytes("budget-10")
	if err != nil {
		t.Fatal(err)
	}
	student := testConfig(t)
	student.graded = &gradedRun{}
	student.seeds = &seedCache{data: map[string][]byte{"budget-10": small, other: small}, fixed: true}
	path, err = student.generatedCopy("budget-10", users+1, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, small) {
		t.Errorf("the student's run made its own %s (%d bytes) instead of taking the one it was handed", other, len(got))
	}
}
