package stmtlog

import (
	"slices"
	"testing"
)

func TestSplitTopLevel(t *testing.T) {
	tests := []struct {
		s, sep string
		want   []string
	}{
		{"u.id, e.amount_cents DESC", ",", []string{"u.id", " e.amount_cents DESC"}},
		{"coalesce(a, b), lower(c)", ",", []string{"coalesce(a, b)", " lower(c)"}},
		{"u.id", ",", []string{"u.id"}},
		{"", ",", []string{""}},
		{"e.user_id = u.id AND e.amount_cents > ?", "AND", []string{"e.user_id = u.id ", " e.amount_cents > ?"}},
		{"a = 1 and (b = 2 AND c = 3)", "AND", []string{"a = 1 ", " (b = 2 AND c = 3)"}},
		{"brand = ? AND android = band", "AND", []string{"brand = ? ", " android = band"}},
		{"(a AND b)", "AND", []string{"(a AND b)"}},
	}
	for _, tt := range tests {
		if got := SplitTopLevel(tt.s, tt.sep); !slices.Equal(got, tt.want) {
			t.Errorf("SplitTopLevel(%q, %q) = %q, want %q", tt.s, tt.sep, got, tt.want)
		}
	}
}
