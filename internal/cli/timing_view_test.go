package cli

import (
	"strings"
	"testing"
	"time"

	"workbook/internal/protocol"
)

func TestTimingSummaryShowsWhatFailed(t *testing.T) {
	held := protocol.Timing{Kind: protocol.TimingGrowth, Data: "budget-10000", From: "budget-1000", LearnerGrowth: 8.1, ReferenceGrowth: 9.9, Limit: 2, Held: true}
	failed := protocol.Timing{Kind: protocol.TimingGrowth, Data: "budget-50000", From: "budget-1000", LearnerGrowth: 255, ReferenceGrowth: 54, Limit: 2}
	if got := timingSummary([]protocol.Timing{held, failed}); !strings.Contains(got, "grew 255×") {
		t.Errorf("timingSummary = %q, want the step that failed", got)
	}
	if got := timingSummary([]protocol.Timing{held}); !strings.Contains(got, "grew 8.1×") {
		t.Errorf("timingSummary = %q, want the step that held", got)
	}
	one := protocol.Timing{Kind: protocol.TimingSpeed, Data: "budget-10000", Runs: 1, Clock: "CPU time", Learner: protocol.Duration(time.Second), Reference: protocol.Duration(time.Millisecond)}
	if got := timingDetail(one); !strings.Contains(got, "(one run each, of CPU time)") {
		t.Errorf("timingDetail = %q, want one run named as one", got)
	}
}
