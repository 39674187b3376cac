package checker

import (
	"strings"
	"testing"

	"workbook/checker/rowdiff"
)

func TestEmptyValueNote(t *testing.T) {
	want := `[{"ID": 1, "Expenses": [{"ID": 10, "Description": "Lunch"}, {"ID": 11, "Description": ""}]},
		{"ID": 2, "Expenses": []}]`
	tests := []struct {
		name, got string
		says      string // "" when no note is wanted
	}{
		{"empty description skipped",
			`[{"ID": 1, "Expenses": [{"ID": 10, "Description": "Lunch"}]}, {"ID": 2, "Expenses": []}]`,
			"The missing row has an empty Description"},
		{"another row lost",
			`[{"ID": 1, "Expenses": [{"ID": 11, "Description": ""}]}, {"ID": 2, "Expenses": []}]`, ""},
		{"empty text rewritten, not lost",
			`[{"ID": 1, "Expenses": [{"ID": 10, "Description": "Lunch"}, {"ID": 11, "Description": "(none)"}]}, {"ID": 2, "Expenses": []}]`, ""},
		{"a returned row keeps an empty text",
			`[{"ID": 1, "Expenses": [{"ID": 12, "Description": ""}]}, {"ID": 2, "Expenses": []}]`, ""},
		{"nothing lost", want, ""},
	}
	w, err := rowdiff.Parse([]byte(want))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := rowdiff.Parse([]byte(tc.got))
			if err != nil {
				t.Fatal(err)
			}
			note := emptyValueNote(g, w)
			if tc.says == "" && note != "" || tc.says != "" && !strings.Contains(note, tc.says) {
				t.Errorf("emptyValueNote = %q, want one saying %q", note, tc.says)
			}
		})
	}
}
