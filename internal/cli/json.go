package cli

import (
	"encoding/json"
	"io"

	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// The document workbook run -json prints: one per run, for an editor or a
// script to read. docs/json.md describes it; the types of its parts are the
// protocol's, so that nothing is read back from sentences.

// runDoc is the document of one run.
type runDoc struct {
	Lesson docLesson `json:"lesson"`
	// Passed is set when the lesson built and every check passed.
	Passed bool `json:"passed"`
	// Build holds the compiler's messages when the lesson did not build;
	// every check then has the status "compile error".
	Build  []string   `json:"build_error,omitempty"`
	Checks []docCheck `json:"checks"`
	// Stopped and Flooded say why the test program was killed, at its time
	// limit or for printing too much; Crash holds the end of what it printed
	// when it ended without giving every verdict.
	Stopped bool     `json:"stopped,omitempty"`
	Flooded bool     `json:"flooded,omitempty"`
	Crash   []string `json:"crash,omitempty"`
	// Rechecked lists the lessons run again when the last lesson passed
	// (see workbook help run).
	Rechecked []docRechecked    `json:"rechecked,omitempty"`
	Elapsed   protocol.Duration `json:"elapsed"`
}

// docLesson names the lesson run.
type docLesson struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	Title  string `json:"title"`
}

// docCheck is one declared check and what became of it.
type docCheck struct {
	Name   string          `json:"name"`
	About  string          `json:"about,omitempty"`
	Status protocol.Status `json:"status"`
	// Summary and Message are those of the check's first failure: a line,
	// and the whole explanation. Both are empty for a check that passed or
	// never finished.
	Summary string `json:"summary,omitempty"`
	Message string `json:"message,omitempty"`
	// Statements is the most statements the learner's code ran on any data
	// set of the check, MaxStatements the budget (0: none).
	Statements    int `json:"statements"`
	MaxStatements int `json:"max_statements,omitempty"`
	// Log lists the statements run on one data set, LogData.
	Log      []protocol.Statement `json:"log,omitempty"`
	LogData  string               `json:"log_data,omitempty"`
	Failures []protocol.Failure   `json:"failures,omitempty"`
	Elapsed  protocol.Duration    `json:"elapsed,omitempty"`
}

// docRechecked is one lesson of the re-check.
type docRechecked struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	State  string `json:"state"` // "pass", "fail" (passed before, fails now) or "pending" (never passed)
}

// newRunDoc turns a run into its document.
func newRunDoc(r *lessonRun) runDoc {
	o, l := r.out, r.out.Lesson
	d := runDoc{
		Lesson:  docLesson{Number: l.Number, Name: l.Name, Title: l.Title},
		Passed:  o.Passed(),
		Build:   o.Build,
		Checks:  make([]docCheck, 0, len(o.Checks)),
		Stopped: o.Stopped,
		Flooded: o.Flooded,
		Crash:   o.Crash,
		Elapsed: protocol.Duration(o.Elapsed),
	}
	for _, c := range o.Checks {
		d.Checks = append(d.Checks, newDocCheck(c))
	}
	for _, rc := range r.rechecked {
		state := "pass"
		switch rc.state {
		case recheckBroken:
			state = "fail"
		case recheckPending:
			state = "pending"
		}
		d.Rechecked = append(d.Rechecked, docRechecked{Number: rc.lesson.Number, Name: rc.lesson.Name, State: state})
	}
	return d
}

// newDocCheck turns a check's outcome into its part of the document.
func newDocCheck(c runner.CheckOutcome) docCheck {
	dc := docCheck{Name: c.Check.Name, About: c.Check.About, Status: c.Status}
	v := c.Verdict
	if v == nil {
		return dc
	}
	dc.Statements, dc.MaxStatements = v.Statements, v.MaxStatements
	dc.Log, dc.LogData = v.Log, v.LogData
	dc.Failures, dc.Elapsed = v.Failures, v.Elapsed
	if len(v.Failures) > 0 {
		dc.Summary, dc.Message = v.Failures[0].Summary, v.Failures[0].Text()
	}
	return dc
}

// writeJSON writes d to w, indented, one document ending in a newline.
func writeJSON(w io.Writer, d runDoc) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}
