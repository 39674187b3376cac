package cli

import (
	"fmt"

	"workbook/internal/protocol"
)

// scoreSummary is the status line's note of a contract's mutation score
// (lesson 17), or "" for a check that gives none.
func scoreSummary(s *protocol.Score) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("kills %d of %d broken (%d%%)", s.Killed, s.Total, s.Killed*100/max(s.Total, 1))
}
