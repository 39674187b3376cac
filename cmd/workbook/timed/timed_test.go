// Package timed_test holds the testscripts of the lessons whose checks time
// the learner's code (lesson 15's speed and growth at 1,000, 10,000 and
// 50,000 users). They are the slowest of the learner's scripts, and run as
// a package of their own, beside cmd/workbook and cmd/workbook/grading, so
// that each package stays well inside go test's time limit.
package timed_test

import (
	"testing"

	"workbook/internal/scripttest"
)

func TestMain(m *testing.M) { scripttest.Main(m) }

// TestScripts runs testdata/script/*.txtar.
func TestScripts(t *testing.T) { scripttest.Run(t, "../../..", "testdata/script") }
