package grade

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"workbook/internal/lesson"
)

// snapshot holds the files of a folder the learner's code must not change,
// to notice a change and undo it.
type snapshot struct {
	root  string
	tops  []string // the entries of root watched; nil: all
	files map[string][]byte
}

// dirMarker stands for a folder in a snapshot's files.
var dirMarker = []byte("\x00a folder")

// gradedAgainst are the entries of the instructor's copy that grading
// depends on.
var gradedAgainst = []string{"go.mod", "go.sum", PointsFile, "checker", "internal", lesson.LessonsDir, "data", lesson.SolutionsDir}

// takeSnapshot reads the files under root (only its entries tops, when
// given).
func takeSnapshot(root string, tops []string) (*snapshot, error) {
	s := &snapshot{root: root, tops: tops}
	files, err := s.read()
	s.files = files
	return s, err
}

func (s *snapshot) read() (map[string][]byte, error) {
	files := map[string][]byte{}
	starts := []string{s.root}
	if s.tops != nil {
		starts = nil
		for _, t := range s.tops {
			starts = append(starts, filepath.Join(s.root, t))
		}
	}
	for _, start := range starts {
		err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == start {
				return nil
			}
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == ".git" {
					return filepath.SkipDir
				}
				if p != s.root {
					rel, err := filepath.Rel(s.root, p)
					if err != nil {
						return err
					}
					files[rel] = dirMarker // so that a new folder, even empty, is a change
				}
				return nil
			}
			rel, err := filepath.Rel(s.root, p)
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				files[rel] = []byte("\x00not a regular file")
				return nil
			}
			data, err := os.ReadFile(p)
			files[rel] = data
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// changes lists the files changed, added or removed since the snapshot.
func (s *snapshot) changes() ([]string, error) {
	now, err := s.read()
	if err != nil {
		return nil, err
	}
	var out []string
	for rel, data := range s.files {
		b, ok := now[rel]
		switch {
		case !ok:
			out = append(out, filepath.ToSlash(rel)+" (removed)")
		case !bytes.Equal(b, data):
			out = append(out, filepath.ToSlash(rel)+" (changed)")
		}
	}
	for rel := range now {
		if _, ok := s.files[rel]; !ok {
			out = append(out, filepath.ToSlash(rel)+" (added)")
		}
	}
	sort.Strings(out)
	return out, nil
}

// restore puts every file back as it was and removes the files added.
func (s *snapshot) restore() error {
	now, err := s.read()
	if err != nil {
		return err
	}
	for rel := range now {
		if _, ok := s.files[rel]; !ok {
			if err := os.RemoveAll(filepath.Join(s.root, rel)); err != nil {
				return err
			}
		}
	}
	for rel, data := range s.files {
		if b, ok := now[rel]; ok && bytes.Equal(b, data) {
			continue
		}
		p := filepath.Join(s.root, rel)
		os.RemoveAll(p) // a link or folder in its place
		if bytes.Equal(data, dirMarker) {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// changed returns the changes as one line.
func changedList(changes []string) string {
	if len(changes) > 6 {
		changes = append(changes[:6:6], "…")
	}
	return strings.Join(changes, ", ")
}
