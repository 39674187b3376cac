package words

import "testing"

func TestPlural(t *testing.T) {
	tests := []struct{ one, many string }{
		{"expense", "expenses"},
		{"category", "categories"},
		{"activity", "activities"},
		{"key", "keys"},
		{"day", "days"},
		{"class", "classes"},
		{"box", "boxes"},
		{"match", "matches"},
		{"category total", "category totals"},
		{"book tag", "book tags"},
		{"person", "people"},
		{"ID", "IDs"},
		{"row", "rows"},
		{"statement", "statements"},
	}
	for _, tt := range tests {
		t.Run(tt.one, func(t *testing.T) {
			if got := Plural(tt.one); got != tt.many {
				t.Errorf("Plural(%q) = %q, want %q", tt.one, got, tt.many)
			}
			if got := Singular(tt.many); got != tt.one && tt.one != "ID" {
				t.Errorf("Singular(%q) = %q, want %q", tt.many, got, tt.one)
			}
		})
	}
}

func TestCounted(t *testing.T) {
	for n, want := range map[int]string{0: "0 categories", 1: "1 category", 12: "12 categories"} {
		if got := Counted(n, "category"); got != want {
			t.Errorf("Counted(%d) = %q, want %q", n, got, want)
		}
	}
}
