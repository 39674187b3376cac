package grade

import (
	"fmt"
	"time"
)

// Settings are the parts of the points file (grading.json) that are not
// points: what the platforms show and when, the late policy, how compile
// errors count, and when two submissions look alike. Every field's zero
// value is the default it states.
//
//	{
//	  "default": {"output": 1, "budget": 1},
//	  "gradescope": {"fresh_visibility": "after_due_date"},
//	  "late": {"percent_per_day": 10, "max_days": 3},
//	  "compile_error_not_gradable": true,
//	  "similarity": {"threshold": 0.8}
//	}
type Settings struct {
	Gradescope GradescopeSettings `json:"gradescope"`
	// Late is the late policy, applied when a submission's metadata
	// (Gradescope's submission_metadata.json) says it came in after the
	// due date; nil applies none.
	Late *LatePolicy `json:"late,omitempty"`
	// CompileErrorNotGradable makes a submission none of whose attempted
	// lessons compiles "not gradable" in every format (PrairieLearn always
	// does so): the platform then keeps the attempt instead of recording a
	// zero. False grades it 0, as any wrong answer.
	CompileErrorNotGradable bool               `json:"compile_error_not_gradable,omitempty"`
	Similarity              SimilaritySettings `json:"similarity"`
}

// GradescopeSettings say what Gradescope shows students, and when.
type GradescopeSettings struct {
	// Visibility is every test's, and the results' as a whole: "visible"
	// (the default), "hidden", "after_due_date" or "after_published".
	Visibility string `json:"visibility,omitempty"`
	// FreshVisibility is the visibility of the checks that ran on data
	// made at grading time; "" means "after_due_date", so that a student
	// cannot probe the grading-time data with repeated submissions.
	FreshVisibility string `json:"fresh_visibility,omitempty"`
	// Leaderboard adds the capstone's statements and time to Gradescope's
	// leaderboard; the lesson is the last one unless LeaderboardLesson
	// names another.
	Leaderboard       bool   `json:"leaderboard,omitempty"`
	LeaderboardLesson string `json:"leaderboard_lesson,omitempty"`
}

// LatePolicy takes points off a late submission.
type LatePolicy struct {
	// PercentPerDay is taken off the score for each day late, or part of
	// one (a submission 25 hours late is 2 days late).
	PercentPerDay float64 `json:"percent_per_day"`
	// MaxDays, when not 0, is the last day a submission earns anything:
	// later, it earns 0.
	MaxDays int `json:"max_days,omitempty"`
	// GraceMinutes are not counted as late.
	GraceMinutes int `json:"grace_minutes,omitempty"`
}

// SimilaritySettings say when two submissions' learner files are listed as
// alike.
type SimilaritySettings struct {
	// Threshold is the least similarity (0 to 1, the Jaccard index of
	// their fingerprints) listed; 0 means 0.8. A negative one lists none.
	Threshold float64 `json:"threshold,omitempty"`
	// MinTokens is the fewest tokens the student changed in a lesson for
	// it to be compared; 0 means 20 (a one-line answer looks like
	// everyone's).
	MinTokens int `json:"min_tokens,omitempty"`
}

var visibilities = map[string]bool{"": true, "visible": true, "hidden": true, "after_due_date": true, "after_published": true}

// problems returns what is wrong in s.
func (s *Settings) problems() []string {
	var out []string
	if !visibilities[s.Gradescope.Visibility] {
		out = append(out, fmt.Sprintf("gradescope.visibility %q is not one of visible, hidden, after_due_date, after_published", s.Gradescope.Visibility))
	}
	if !visibilities[s.Gradescope.FreshVisibility] {
		out = append(out, fmt.Sprintf("gradescope.fresh_visibility %q is not one of visible, hidden, after_due_date, after_published", s.Gradescope.FreshVisibility))
	}
	if l := s.Late; l != nil && (l.PercentPerDay < 0 || l.PercentPerDay > 100 || l.MaxDays < 0 || l.GraceMinutes < 0) {
		out = append(out, "late: percent_per_day is from 0 to 100, max_days and grace_minutes are not negative")
	}
	if s.Similarity.Threshold > 1 {
		out = append(out, "similarity.threshold is at most 1")
	}
	return out
}

// Late is what the late policy did to one submission.
type Late struct {
	// By is how late the submission was.
	By time.Duration
	// Days is By in days, rounded up, less the grace.
	Days int
	// Factor multiplies the score: 1 on time, 0 past the last day.
	Factor float64
}
