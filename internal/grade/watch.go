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
	dirs  map[string]bool // the folders under root, so that a new one, even empty, is a change
}

// gradedAgainst are the entries of the instructor's copy that grading
// depends on.
var gradedAgainst = []string{"go.mod", "go.sum", PointsFile, "checker", "internal", lesson.LessonsDir, "data", lesson.SolutionsDir}

// takeSnapshot reads the files under root (only its entries tops, when
// given).
func takeSnapshot(root string, tops []string) (*snapshot, error) {
	s := &snapshot{root: root, tops: tops}
	var err error
	s.files, s.dirs, err = s.read()
	return s, err
}

func (s *snapshot) read() (map[string][]byte, map[string]bool, error) {
	files := map[string][]byte{}
	dirs := map[string]bool{}
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
					dirs[rel] = true
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
			return nil, nil, err
		}
	}
	return files, dirs, nil
}

// changes lists the files changed, added or removed since the snapshot.
func (s *snapshot) changes() ([]string, error) {
	now, dirs, err := s.read()
	if err != nil {
		return nil, err
	}
	var out []string
	for rel := range s.dirs {
		if !dirs[rel] {
			out = append(out, filepath.ToSlash(rel)+" (removed)")
		}
	}
	for rel := range dirs {
		if !s.dirs[rel] {
			out = append(out, filepath.ToSlash(rel)+" (added)")
		}
	}
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
	now, dirs, err := s.read()
	if err != nil {
		return err
	}
	for rel := range dirs {
		if !s.dirs[rel] {
			if err := os.RemoveAll(filepath.Join(s.root, rel)); err != nil {
				return err
			}
		}
	}
	for rel := range s.dirs {
		p := filepath.Join(s.root, rel)
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			os.RemoveAll(p) // a file or link in its place
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
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
