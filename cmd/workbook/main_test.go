package main

import (
	"testing"

	"workbook/internal/scripttest"
)

func TestMain(m *testing.M) { scripttest.Main(m) }

// TestScripts runs testdata/script/*.txtar: the workbook command as a
// learner types it. The lessons' own scripts are in ./lessons (and lesson
// 15's in ./timed), the grader's and the authors' in ./grading: packages of
// their own, so that each runs well inside go test's time limit.
func TestScripts(t *testing.T) { scripttest.Run(t, "../..", "testdata/script") }
