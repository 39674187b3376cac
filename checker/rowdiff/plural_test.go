package rowdiff

import "testing"

// TestNounPlurals: a noun whose plural is not noun+"s" is written right in
// every sentence that counts rows ("categorys" was seen).
func TestNounPlurals(t *testing.T) {
	type category struct {
		ID   int
		Name string
	}
	want := []category{{1, "Food"}, {2, "Travel"}}
	tests := []struct {
		name string
		got  any
		diff string
	}{
		{"count", want[:1], "got 1 category, want 2:\n  missing:    {ID: 2, Name: \"Travel\"}"},
		{"changed", []category{{1, "Food"}, {2, "Trips"}}, "the same categories (by ID), but 1 of the 2 differ in their other fields:\n  changed:    ID 2 (Travel): Name is \"Trips\", want \"Travel\""},
		{"other ones", []category{{1, "Food"}, {3, "Trips"}}, "got the right number of categories (2), but not the right ones:\n  missing:    {ID: 2, Name: \"Travel\"}\n  unexpected: {ID: 3, Name: \"Trips\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := FromGo(tt.got)
			w, _ := FromGo(want)
			d := Compare(g, w, Options{Noun: "category"})
			if d == nil || d.String() != tt.diff {
				t.Errorf("got:\n%v\nwant:\n%s", d, tt.diff)
			}
		})
	}
	if got := nounFor("Activities"); got != "activity" {
		t.Errorf("nounFor(Activities) = %q", got)
	}
	if got := nounFor("Classes"); got != "class" {
		t.Errorf("nounFor(Classes) = %q", got)
	}
}
