// Package grading_test holds the testscripts of workbook grade and
// workbook dev: a class graded, hostile submissions, the platforms'
// formats, mutants. They run as a package of their own, beside the
// learner's scripts in cmd/workbook, so that each stays well inside go
// test's time limit.
package grading_test

import (
	"testing"

	"workbook/internal/scripttest"
)

func TestMain(m *testing.M) { scripttest.Main(m) }

// TestScripts runs testdata/script/*.txtar.
func TestScripts(t *testing.T) { scripttest.Run(t, "../../..", "testdata/script") }
