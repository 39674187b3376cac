package grade

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"time"
)

// GradescopeMetadata is where Gradescope puts a submission's metadata.
const GradescopeMetadata = "/autograder/submission_metadata.json"

// submissionMetadata is the part of Gradescope's submission_metadata.json
// the late policy reads.
type submissionMetadata struct {
	CreatedAt  time.Time `json:"created_at"`
	Assignment struct {
		DueDate     time.Time  `json:"due_date"`
		LateDueDate *time.Time `json:"late_due_date"`
	} `json:"assignment"`
}

// applyLate reads the submission's metadata (Options.Metadata, or
// Gradescope's where it is) and applies the late policy of the points file
// to the class's one student. A class of more than one, a missing file or
// no policy changes nothing.
func (g *grader) applyLate(class *Class) error {
	policy := g.scheme.Settings.Late
	if policy == nil || len(class.Students) != 1 {
		return nil
	}
	path := g.opt.Metadata
	if path == "" {
		path = GradescopeMetadata
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && g.opt.Metadata == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the submission's metadata: %w", err)
	}
	var md submissionMetadata
	if err := json.Unmarshal(raw, &md); err != nil {
		return fmt.Errorf("reading the submission's metadata %s: %w", path, err)
	}
	if md.CreatedAt.IsZero() || md.Assignment.DueDate.IsZero() {
		return fmt.Errorf("the submission's metadata %s has no created_at or assignment.due_date", path)
	}
	class.Students[0].Late = policy.apply(md.CreatedAt.Sub(md.Assignment.DueDate))
	return nil
}

// apply returns what the policy does to a submission by late after the due
// date (negative: early), or nil when it is not late.
func (p *LatePolicy) apply(by time.Duration) *Late {
	by -= time.Duration(p.GraceMinutes) * time.Minute
	if by <= 0 {
		return nil
	}
	days := int(math.Ceil(by.Hours() / 24))
	l := &Late{By: by, Days: days, Factor: math.Max(0, 1-p.PercentPerDay*float64(days)/100)}
	if p.MaxDays > 0 && days > p.MaxDays {
		l.Factor = 0
	}
	return l
}

// Score returns the student's points after the late policy.
func (s *Student) Score() float64 {
	if s.Late == nil {
		return s.Total()
	}
	// Rounded to a millionth of a point, so that 6 at 80% is 4.8.
	return math.Round(s.Total()*s.Late.Factor*1e6) / 1e6
}

// NotGradable returns why the student's submission cannot be graded at all
// (it could not be read, or none of the lessons it attempts compiles), or
// "" when it can. Whether a platform is told so is the report's decision
// (see Settings.CompileErrorNotGradable).
func (s *Student) NotGradable() string {
	if s.Problem != "" {
		return "the submission could not be read: " + s.Problem
	}
	attempted, broken := 0, 0
	for _, r := range s.Lessons {
		if r.Status == NotAttempted {
			continue
		}
		attempted++
		if r.Status == CompileError {
			broken++
		}
	}
	if attempted > 0 && broken == attempted {
		return "it does not compile"
	}
	return ""
}
