// Package progress remembers a learner's way through the workbook: which
// lessons passed, how many hints of each were shown, and which solutions
// were shown before the lesson passed. It keeps them in a plain text file,
// .workbook/progress under the workbook's root, which git ignores:
//
//	# workbook progress: which lessons passed, how many hints you have seen.
//	passed 01-foreign-keys
//	hints 07-n-plus-one 2
//	solution-seen 04-join-filter
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
	passed map[string]bool
	hints  map[string]int
	seen   map[string]bool // solutions shown before the lesson passed
}

// Load reads the progress of the workbook at root. A missing file is a fresh
// start; a line it does not understand is skipped.
func Load(root string) (*State, error) {
	s := &State{passed: map[string]bool{}, hints: map[string]int{}, seen: map[string]bool{}}
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
				s.hints[f[1]] = n
			}
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
		fmt.Fprintf(&b, "passed %s\n", id)
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
