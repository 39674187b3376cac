package lesson

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDataSets(t *testing.T) {
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
				if err := os.WriteFile(filepath.Join(dir, name), []byte("package x\n\n"+src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := (&Lesson{Dir: dir}).DataSets(available)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("DataSets = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestOwnDataSet(t *testing.T) {
	tests := []struct {
		used   []string
		own    string
		others string
	}{
		{[]string{"bank", "bank-variant"}, "bank", "bank-variant"},
		{[]string{"budget-variant", "budget-10", "budget-100"}, "budget-10", "budget-variant budget-100"},
		{[]string{"cascade-variant"}, "", "cascade-variant"},
		{nil, "", ""},
	}
	for _, tt := range tests {
		own, others := OwnDataSet(tt.used)
		if own != tt.own || strings.Join(others, " ") != tt.others {
			t.Errorf("OwnDataSet(%q) = %q, %q; want %q, %q", tt.used, own, others, tt.own, tt.others)
		}
	}
}
