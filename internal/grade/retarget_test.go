package grade

import (
	"strings"
	"testing"
)

func TestRetarget(t *testing.T) {
	src := "package capstone_test\n\nimport (\n\t\"testing\"\n\n\t\"workbook/checker\"\n\tcapstone \"workbook/lessons/15-capstone\"\n)\n\n// \"workbook/lessons/15-capstone\" in a comment stays.\nfunc TestA(t *testing.T) { _ = capstone.BudgetReport; _ = checker.Run }\n"
	got, err := retarget("check_test.go", []byte(src), "workbook/lessons/15-capstone", "workbook/gradebatch/u0003")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, "capstone \"workbook/lessons/15-capstone\"", "capstone \"workbook/gradebatch/u0003\"", 1)
	if string(got) != want {
		t.Errorf("retarget:\n%s\nwant:\n%s", got, want)
	}
	if strings.Count(string(got), "\n") != strings.Count(src, "\n") {
		t.Error("retarget changed the number of lines: compiler messages would point elsewhere")
	}
}

func TestMainSourceRunsBothPackages(t *testing.T) {
	tr := &tree{module: "wb"}
	src := string(tr.mainSource([]member{
		{name: "u0001", plan: &plan{tests: []string{"TestA"}, xtests: []string{"TestB"}}},
		{name: "u0002", plan: &plan{xtests: []string{"TestC"}}},
	}))
	for _, want := range []string{
		"\tu0001 \"wb/gradebatch/u0001\"\n",
		"\tu0001_checks \"wb/gradebatch/u0001_checks\"\n",
		"\tu0002_checks \"wb/gradebatch/u0002_checks\"\n",
		"{Name: \"TestA\", F: u0001.TestA},\n\t\t{Name: \"TestB\", F: u0001_checks.TestB},",
		"{Name: \"TestC\", F: u0002_checks.TestC},",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("main does not hold %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, "\tu0002 \"wb/gradebatch/u0002\"") {
		t.Errorf("main imports u0002, which has no tests of its own package: an unused import\n%s", src)
	}
}
