package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/lesson"
)

func TestLessonData(t *testing.T) {
	available := []string{"bank", "bank-variant", "budget", "budget-10", "budget-100", "budget-variant"}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name:  "in the order the checks name them",
			files: map[string]string{"check_test.go": "var data = []string{\"budget\", \"budget-variant\"}\n"},
			want:  "budget budget-variant",
		},
		{
			name: "each once, across files, raw strings too",
			files: map[string]string{
				"a_test.go": "func A() { run(\"budget-10\"); run(`budget-100`); run(\"budget-10\") }\n",
				"b_test.go": "func B() { run(\"bank\") }\n",
			},
			want: "budget-10 budget-100 bank",
		},
		{
			name:  "other strings, comments and the learner's file are not data sets",
			files: map[string]string{"check_test.go": "// budget\nfunc C() { c.Expect(\"Food\"); x := \"bank.db\" }\n", "report.go": "var s = \"budget\"\n"},
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range tt.files {
				writeFile(t, filepath.Join(dir, name), "package x\n\n"+src)
			}
			got, err := lessonData(&lesson.Lesson{Dir: dir}, available)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("lessonData = %v, want %s", got, tt.want)
			}
		})
	}
}
