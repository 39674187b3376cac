// Package lessons_test holds the testscripts of lessons 1 to 14: each
// lesson as shipped, the plausible wrong answers its checks must reject,
// the right answers in other forms they must accept, and its reference
// solution. They run as a package of their own, beside cmd/workbook (the
// command's own scripts), cmd/workbook/grading and cmd/workbook/timed, so
// that each package stays well inside go test's time limit.
package lessons_test

import (
	"testing"

	"workbook/internal/scripttest"
)

func TestMain(m *testing.M) { scripttest.Main(m) }

// TestScripts runs testdata/script/*.txtar.
func TestScripts(t *testing.T) { scripttest.Run(t, "../../..", "testdata/script") }
