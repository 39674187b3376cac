package report

import (
	"reflect"
	"testing"
)

func TestCSVSafe(t *testing.T) {
	in := []string{"=HYPERLINK(\"http://x\")", "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "ada", "", "-1.5", "12", "a=b"}
	want := []string{"'=HYPERLINK(\"http://x\")", "'+1+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "ada", "", "-1.5", "12", "a=b"}
	if got := csvSafe(in); !reflect.DeepEqual(got, want) {
		t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
	}
}
