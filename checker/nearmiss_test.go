package checker

import (
	"reflect"
	"testing"
)

func TestNearMisses(t *testing.T) {
	got := NearMisses("Food")
	// Food with its first letter's case swapped is food, already there.
	want := []string{"FOOD", "food", " Food ", "Food ", " Food", "xFood", "Foodx", "Foo", "ood", "Fo%d", "Fo_d", "Fo*d", "Fo?d"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NearMisses(%q) = %q, want %q", "Food", got, want)
	}
	for _, s := range []string{"", "a", "wen@example.net", "Tomás", "aBc", "Fantasy", "COMP311"} {
		for _, m := range NearMisses(s) {
			if m == s || m == "" {
				t.Errorf("NearMisses(%q) holds %q", s, m)
			}
		}
		if n := len(NearMisses(s)); n > NearMissBudget {
			t.Errorf("NearMisses(%q) returns %d texts, more than NearMissBudget (%d)", s, n, NearMissBudget)
		}
	}
}

func TestCaseFoldedOrder(t *testing.T) {
	for _, tt := range []struct {
		keys []string
		want bool
	}{
		{[]string{"Fantasy", "award winner"}, false}, // SQLite's order
		{[]string{"award winner", "Fantasy"}, true},  // ignoring case
		{[]string{"b", "a"}, false},                  // neither
	} {
		if got := CaseFoldedOrder("tags", "t.name", tt.keys) != ""; got != tt.want {
			t.Errorf("CaseFoldedOrder(%q) explains: %v, want %v", tt.keys, got, tt.want)
		}
	}
}
