package protocol

// Score is what a check that runs a learner's test suite (a contract)
// against broken implementations found: how many of Total the suite
// caught (Killed), and the names of those it let through (Survived), in
// the check's order. A check that tests the learner's tests gives it in
// [Verdict.Score]; nothing else parses its figures out of a message.
type Score struct {
	Killed   int      `json:"killed"`
	Total    int      `json:"total"`
	Survived []string `json:"survived,omitempty"`
}

// Worse reports whether s caught fewer of its implementations than o: of
// two data sets' scores, a verdict keeps the worse.
func (s *Score) Worse(o *Score) bool {
	if o == nil {
		return s != nil
	}
	return s != nil && s.Killed*o.Total < o.Killed*s.Total
}
