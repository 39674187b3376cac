// Package progress remembers a learner's way through the workbook: which
// lessons passed, which hints of each were shown, which checks failed in a
// lesson's last run (so that the next hint can be about them), and which
// solutions were shown before the lesson passed. It keeps them in a plain
// text file, .workbook/progress under the workbook's root, which git
// ignores:
//
//	# workbook progress: which lessons passed, which hints you have seen.
//	passed 01-foreign-keys
//	hints 04-join-filter 2
//	hints-seen 07-n-plus-one 1 3
//	failing 07-n-plus-one report-100-users report-1000-users
//	solution-seen 04-join-filter
//
// Hints are numbered from 1, as the learner sees them: "hints 04-join-filter
// 2" is the short form of "hints-seen 04-join-filter 1 2", the first two.
//
// Deleting the file forgets the progress and nothing else.
package progress

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// File is where the progress of the workbook at root is kept.
func File(root string) string { return filepath.Join(root, ".workbook", "progress") }

// State is the progress through the workbook. The zero value is a learner
// who has just started.
type State struct {
	passed  map[string]bool
	hints   map[string]map[int]bool // hints shown, by index from 0
	failing map[string][]string     // the checks that failed in the last run
	seen    map[string]bool         // solutions shown before the lesson passed
}

// Load reads the progress of the workbook at root. A missing file is a fresh
// start; a line it does not understand is skipped.
func Load(root string) (*State, error) {
	s := &State{passed: map[string]bool{}, hints: map[string]map[int]bool{}, failing: map[string][]string{}, seen: map[string]bool{}}
	data, err := os.ReadFile(File(root))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "passed":
			s.passed[f[1]] = true
		case len(f) == 2 && f[0] == "solution-seen":
			s.seen[f[1]] = true
		case len(f) == 3 && f[0] == "hints":
			if n, err := strconv.Atoi(f[2]); err == nil && n > 0 {
				for i := range n {
					s.SetHintSeen(f[1], i)
				}
			}
		case len(f) >= 3 && f[0] == "hints-seen":
			for _, num := range f[2:] {
				if n, err := strconv.Atoi(num); err == nil && n > 0 {
					s.SetHintSeen(f[1], n-1)
				}
			}
		case len(f) >= 3 && f[0] == "failing":
			s.failing[f[1]] = f[2:]
		}
	}
	return s, nil
}

// Save writes the progress of the workbook at root.
func (s *State) Save(root string) error {
	var b strings.Builder
	b.WriteString("# workbook progress: which lessons passed, which hints you have seen.\n")
	b.WriteString("# Written by the workbook command; deleting it forgets your progress, nothing else.\n")
	for _, id := range sortedKeys(s.passed) {
		fmt.Fprintf(&b, "passed %s\n", id)
	}
	for _, id := range sortedKeys(s.hints) {
		var nums []int
		for i := range s.hints[id] {
			nums = append(nums, i+1)
		}
		sort.Ints(nums)
		if nums[len(nums)-1] == len(nums) {
			// The first n hints: the short form older versions read too.
			fmt.Fprintf(&b, "hints %s %d\n", id, len(nums))
			continue
		}
		fmt.Fprintf(&b, "hints-seen %s", id)
		for _, n := range nums {
			fmt.Fprintf(&b, " %d", n)
		}
		b.WriteString("\n")
	}
	for _, id := range sortedKeys(s.failing) {
		fmt.Fprintf(&b, "failing %s %s\n", id, strings.Join(s.failing[id], " "))
	}
	for _, id := range sortedKeys(s.seen) {
		fmt.Fprintf(&b, "solution-seen %s\n", id)
	}
	path := File(root)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	return os.Rename(tmp, path)
}

// Passed reports whether lesson id passed the last time it ran.
func (s *State) Passed(id string) bool { return s.passed[id] }

// SetPassed records whether lesson id passed.
func (s *State) SetPassed(id string, passed bool) {
	if passed {
		s.passed[id] = true
	} else {
		delete(s.passed, id)
	}
}

// HintsSeen returns how many hints of lesson id were shown.
func (s *State) HintsSeen(id string) int { return len(s.hints[id]) }

// HintSeen reports whether hint i (from 0) of lesson id was shown.
func (s *State) HintSeen(id string, i int) bool { return s.hints[id][i] }

// SetHintSeen records that hint i (from 0) of lesson id was shown.
func (s *State) SetHintSeen(id string, i int) {
	if i < 0 {
		return
	}
	if s.hints[id] == nil {
		s.hints[id] = map[int]bool{}
	}
	s.hints[id][i] = true
}

// ForgetHints forgets which hints of lesson id were shown.
func (s *State) ForgetHints(id string) { delete(s.hints, id) }

// Failing returns the checks of lesson id that failed in its last run, in
// the order the lesson declares them: none when it passed or never ran.
func (s *State) Failing(id string) []string { return s.failing[id] }

// SetFailing records the checks of lesson id that failed in its last run.
// A check name holds no spaces (lesson.json's names are lower case words
// joined by dashes); one that does is left out.
func (s *State) SetFailing(id string, checks []string) {
	var keep []string
	for _, c := range checks {
		if c != "" && !strings.ContainsAny(c, " \t\n") {
			keep = append(keep, c)
		}
	}
	if len(keep) == 0 {
		delete(s.failing, id)
		return
	}
	s.failing[id] = keep
}

// SolutionSeen reports whether the solution of lesson id was shown before
// the lesson passed.
func (s *State) SolutionSeen(id string) bool { return s.seen[id] }

// SetSolutionSeen records that the solution of lesson id was shown before
// the lesson passed. It is never forgotten: the lesson was not worked out
// alone.
func (s *State) SetSolutionSeen(id string) { s.seen[id] = true }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
