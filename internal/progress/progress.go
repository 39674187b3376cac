// Package progress remembers a learner's way through the workbook: which
// lessons passed and when, which of those fail now, how many hints of each
// were shown, and which solutions were shown before the lesson passed. It
// keeps them in a plain text file, .workbook/progress under the workbook's
// root, which git ignores:
//
//	# workbook progress: which lessons passed, how many hints you have seen.
//	passed 01-foreign-keys 2026-12-01T18:04:05Z
//	passed 04-join-filter 2026-12-01T18:30:00Z
//	failing 04-join-filter
//	hints 07-n-plus-one 2
//	solution-seen 04-join-filter
//
// A lesson that passed once stays passed: a later run that fails marks it
// failing as well, and the next run that passes clears the mark. Files
// written before passes had times hold "passed <lesson>" alone; Load reads
// them as passed at an unknown time, and Save keeps them so.
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
	"time"
)

// File is where the progress of the workbook at root is kept.
func File(root string) string { return filepath.Join(root, ".workbook", "progress") }

// State is the progress through the workbook. The zero value is not ready
// for use: Load returns a State, a fresh one when there is no file.
type State struct {
	passed  map[string]time.Time // when each lesson first passed; the zero time when not known
	failing map[string]bool      // lessons that passed once and failed their latest run
	hints   map[string]int
	seen    map[string]bool // solutions shown before the lesson passed
}

// Load reads the progress of the workbook at root. A missing file is a fresh
// start; a line it does not understand is skipped.
func Load(root string) (*State, error) {
	s := &State{passed: map[string]time.Time{}, failing: map[string]bool{}, hints: map[string]int{}, seen: map[string]bool{}}
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
			// The format before passes had times.
			s.passed[f[1]] = time.Time{}
		case len(f) == 3 && f[0] == "passed":
			at, err := time.Parse(time.RFC3339, f[2])
			if err != nil {
				at = time.Time{} // passed, at a time it cannot read
			}
			s.passed[f[1]] = at
		case len(f) == 2 && f[0] == "failing":
			s.failing[f[1]] = true
		case len(f) == 2 && f[0] == "solution-seen":
			s.seen[f[1]] = true
		case len(f) == 3 && f[0] == "hints":
			if n, err := strconv.Atoi(f[2]); err == nil && n > 0 {
				s.hints[f[1]] = n
			}
		}
	}
	for id := range s.failing {
		if _, ok := s.passed[id]; !ok {
			delete(s.failing, id) // only a lesson passed once can fail now
		}
	}
	return s, nil
}

// Save writes the progress of the workbook at root.
func (s *State) Save(root string) error {
	var b strings.Builder
	b.WriteString("# workbook progress: which lessons passed, how many hints you have seen.\n")
	b.WriteString("# Written by the workbook command; deleting it forgets your progress, nothing else.\n")
	for _, id := range sortedKeys(s.passed) {
		if at := s.passed[id]; !at.IsZero() {
			fmt.Fprintf(&b, "passed %s %s\n", id, at.UTC().Format(time.RFC3339))
		} else {
			fmt.Fprintf(&b, "passed %s\n", id)
		}
	}
	for _, id := range sortedKeys(s.failing) {
		fmt.Fprintf(&b, "failing %s\n", id)
	}
	for _, id := range sortedKeys(s.hints) {
		fmt.Fprintf(&b, "hints %s %d\n", id, s.hints[id])
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
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	return nil
}

// Passed reports whether lesson id has ever passed, whatever its latest run
// found (see [State.Failing]).
func (s *State) Passed(id string) bool {
	_, ok := s.passed[id]
	return ok
}

// PassedAt returns when lesson id first passed. It is the zero time when
// the lesson never passed, or passed before the workbook kept times.
func (s *State) PassedAt(id string) time.Time { return s.passed[id] }

// Failing reports whether lesson id passed once and failed its latest run.
func (s *State) Failing(id string) bool { return s.failing[id] }

// Record records the result of a run of lesson id that ended at. A pass
// clears the failing mark, and is the lesson's first when it never passed
// before; a failure marks a lesson passed before as failing, and changes
// nothing of one that never passed.
func (s *State) Record(id string, passed bool, at time.Time) {
	if passed {
		if !s.Passed(id) {
			s.passed[id] = at
		}
		delete(s.failing, id)
		return
	}
	if s.Passed(id) {
		s.failing[id] = true
	}
}

// Forget forgets that lesson id passed, as a learner who starts it over
// asks.
func (s *State) Forget(id string) {
	delete(s.passed, id)
	delete(s.failing, id)
}

// HintsSeen returns how many hints of lesson id were shown.
func (s *State) HintsSeen(id string) int { return s.hints[id] }

// SetHintsSeen records how many hints of lesson id were shown.
func (s *State) SetHintsSeen(id string, n int) {
	if n <= 0 {
		delete(s.hints, id)
		return
	}
	s.hints[id] = n
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
