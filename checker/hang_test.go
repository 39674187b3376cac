package checker

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"workbook/internal/protocol"
)

// TestHangIsReportedOnce: a body stopped at its time limit says where the
// learner's code was; a later check stuck in the same function, while the
// first one's code still runs, is stopped early and points at the first.
func TestHangIsReportedOnce(t *testing.T) {
	stopSpinning.Store(false)
	defer stopSpinning.Store(true)
	cfg := testConfig(t)
	learner, err := filepath.Abs("hang_learner_test.go")
	if err != nil {
		t.Fatal(err)
	}
	cfg.learnerFiles = append(cfg.learnerFiles, learner)
	body := func(c *C) {
		_, err := reportSpins(c.DB())
		c.NoError(err, "SpendingReport(db)")
	}
	const limit = 2 * time.Second
	first := cfg.run(Check{Name: "report-10-users", Data: []string{"budget"}, Timeout: limit}, body)
	began := time.Now()
	second := cfg.run(Check{Name: "report-100-users", Data: []string{"budget", "budget-variant"}, Timeout: limit}, body)
	took := time.Since(began)
	if first.Status != protocol.StatusTimeout || second.Status != protocol.StatusTimeout {
		t.Fatalf("statuses %s, %s; want timeout twice\n%s%s", first.Status, second.Status, describe(first), describe(second))
	}
	if took >= limit {
		t.Errorf("the second check took %s: it waited the full limit for the same hang", took)
	}
	line, after := regexp.MustCompile(`:\d+`), regexp.MustCompile(`after [0-9.]+m?s`)
	golden(t, "hang_first", line.ReplaceAllString(describe(first), ":LINE"))
	golden(t, "hang_second", after.ReplaceAllString(line.ReplaceAllString(describe(second), ":LINE"), "after TIME"))
	if len(second.Failures) != 1 || !strings.Contains(second.Failures[0].Message, "report-10-users") {
		t.Errorf("the second check's failure does not point at the first:\n%s", describe(second))
	}
}
