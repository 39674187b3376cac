package grade

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// PointsFile is the instructor-edited file, at the workbook's root, that
// overrides the default points.
const PointsFile = "grading.json"

// Weight is what a check is worth: Output for a right result (values
// returned, tables left as they should be), Budget for staying within the
// statement budget. A check without a budget is worth Output alone.
type Weight struct {
	Output float64 `json:"output"`
	Budget float64 `json:"budget"`
}

// DefaultWeight is a check's worth when the points file says nothing.
var DefaultWeight = Weight{Output: 1, Budget: 1}

// Scheme attaches points to the lessons' named checks. Its file looks like
//
//	{
//	  "default": {"output": 2, "budget": 1},
//	  "lessons": {
//	    "07-n-plus-one": {"report-1000-users": {"output": 2, "budget": 3}}
//	  }
//	}
//
// where "default" applies to every check not named under "lessons".
type Scheme struct {
	Default Weight                       `json:"default"`
	Lessons map[string]map[string]Weight `json:"lessons"`
	// Settings are the file's other parts (see [Settings]).
	Settings Settings `json:"-"`
}

// Weight returns the worth of check in lesson.
func (s *Scheme) Weight(lessonID, check string) Weight {
	if w, ok := s.Lessons[lessonID][check]; ok {
		return w
	}
	return s.Default
}

// LoadScheme reads the points file at path, checking it against the
// lessons. A missing file gives the default scheme.
func LoadScheme(path string, lessons []*lesson.Lesson) (*Scheme, error) {
	s := &Scheme{Default: DefaultWeight}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	// A field left out takes the default's value: {"budget": 3} keeps the
	// default output points.
	type rawWeight struct {
		Output *float64 `json:"output"`
		Budget *float64 `json:"budget"`
	}
	var raw struct {
		Default rawWeight                       `json:"default"`
		Lessons map[string]map[string]rawWeight `json:"lessons"`
		Settings
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	resolve := func(r rawWeight, base Weight) Weight {
		if r.Output != nil {
			base.Output = *r.Output
		}
		if r.Budget != nil {
			base.Budget = *r.Budget
		}
		return base
	}
	s.Default = resolve(raw.Default, DefaultWeight)
	s.Lessons = map[string]map[string]Weight{}
	for id, checks := range raw.Lessons {
		s.Lessons[id] = map[string]Weight{}
		for c, r := range checks {
			s.Lessons[id][c] = resolve(r, s.Default)
		}
	}
	s.Settings = raw.Settings
	problems := raw.Settings.problems()
	byID := map[string]*lesson.Lesson{}
	var ids []string
	for _, l := range lessons {
		byID[l.ID()] = l
		ids = append(ids, l.ID())
	}
	check := func(where string, w Weight) {
		if w.Output < 0 || w.Budget < 0 {
			problems = append(problems, where+": points cannot be negative")
		}
	}
	check("default", s.Default)
	var names []string
	for id := range s.Lessons {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		l := byID[id]
		if l == nil {
			problems = append(problems, fmt.Sprintf("no lesson %q (the lessons are %s)", id, strings.Join(ids, ", ")))
			continue
		}
		for c, w := range s.Lessons[id] {
			if !l.HasCheck(c) {
				var declared []string
				for _, d := range l.Checks {
					declared = append(declared, d.Name)
				}
				problems = append(problems, fmt.Sprintf("lesson %s has no check %q (its checks are %s)", id, c, strings.Join(declared, ", ")))
			}
			check(id+"/"+c, w)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s: %s", filepath.Base(path), strings.Join(problems, "; "))
	}
	return s, nil
}

// maxFor returns what check can earn: its Output, and its Budget when the
// check has a statement budget.
func (s *Scheme) maxFor(lessonID, check string, hasBudget bool) float64 {
	w := s.Weight(lessonID, check)
	if hasBudget {
		return w.Output + w.Budget
	}
	return w.Output
}

// score fills in the points of c from its verdict. Correct output over the
// budget earns the output's points and loses the budget's; a wrong result
// earns nothing, however few statements it took; an error, panic, timeout
// or crash earns nothing.
func (s *Scheme) score(lessonID string, c *CheckResult, hasBudget bool) {
	w := s.Weight(lessonID, c.Name)
	c.Max = s.maxFor(lessonID, c.Name, hasBudget)
	c.OutputPoints, c.BudgetPoints, c.Points = 0, 0, 0
	v := c.Verdict
	if v == nil || (c.Status != CheckPass && c.Status != CheckFail) {
		return
	}
	if v.Output == protocol.PartPass {
		c.OutputPoints = w.Output
		if hasBudget && v.Budget == protocol.PartPass {
			c.BudgetPoints = w.Budget
		}
	}
	c.Points = c.OutputPoints + c.BudgetPoints
}
