package grade

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"workbook/internal/dataset"
	"workbook/internal/protocol"
)

// Grading-time data. The variants (data/*-variant.db and the expected
// results made from them) are in every student's copy of the workbook, so a
// student could hard-code them. A grading run therefore replaces each
// variant it can with a fresh set made from it with a seed drawn for this
// run (dataset.Fresh: the same schema and traps, other ids, names and
// amounts, one more row of each shape, and every order and equality kept,
// so that a verdict never depends on the seed), under the variant's name,
// so that the checks, which name their data sets in code, run on it
// unchanged.
// Its expected results come from the reference solutions in this same run:
// calibrate runs them with the checker writing, for the fresh sets only,
// the results it would otherwise compare with (protocol.Grading.Update).
// `workbook run` never sees a fresh set: learners keep today's variants.

// freshData draws the run's seed (or takes Options.Seed) and replaces
// every variant the grader has data for with a fresh set.
func (g *grader) freshData() error {
	if g.opt.NoFresh {
		return nil
	}
	g.seed = g.opt.Seed
	for g.seed == 0 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		g.seed = binary.LittleEndian.Uint64(b[:])
	}
	dir, err := g.scratch("d")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var names []string
	for name := range g.data {
		names = append(names, name)
	}
	slices.Sort(names)
	g.fresh = map[string]bool{}
	for _, name := range names {
		set, ok := dataset.Lookup(name)
		if !ok || !dataset.Hidden(name) || !dataset.CanFresh(set.Family) {
			continue
		}
		src, dest := filepath.Join(dir, name+".db"), filepath.Join(dir, dataset.FreshName(name)+".db")
		if err := os.WriteFile(src, g.data[name], 0o600); err != nil {
			return err
		}
		// Each set its own seed, drawn from the run's, so that adding a
		// family does not change the others'.
		if err := dataset.Fresh(set.Family, src, dest, g.seed^nameHash(name)); err != nil {
			return err
		}
		data, err := os.ReadFile(dest)
		if err != nil {
			return err
		}
		g.data[name] = data
		g.fresh[name] = true
	}
	return nil
}

// nameHash is the 64-bit FNV-1a hash of s.
func nameHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// freshNames returns the data sets replaced by fresh sets, sorted.
func (g *grader) freshNames() []string {
	var out []string
	for name := range g.fresh {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// freshSets describes the run's fresh sets that some lesson's checks used,
// for the report.
func (g *grader) freshSets() []FreshSet {
	used := map[string]bool{}
	for _, sets := range g.used {
		for _, d := range sets {
			used[d] = true
		}
	}
	var out []FreshSet
	for _, name := range g.freshNames() {
		if used[name] {
			out = append(out, FreshSet{Name: dataset.FreshName(name), Replaces: name})
		}
	}
	return out
}

// updateFolder returns the folder a calibration run writes the fresh sets'
// expected results and the data sets it generates into, or "" when the unit
// is a student's.
func (g *grader) updateFolder(u *unit, runDir string) string {
	if !u.calibrating {
		return ""
	}
	return filepath.Join(runDir, "expected-out")
}

// harvest takes the expected results a calibration run wrote for the
// fresh sets and puts them in place of the variants' for the student runs,
// and keeps the data sets it generated in u.generated.
func (g *grader) harvest(u *unit, folder string) error {
	if folder == "" {
		return nil
	}
	exp := g.expected[u.lesson]
	for rel := range exp {
		if g.fresh[dataOf(rel)] {
			delete(exp, rel) // the variant's, which no fresh row gave
		}
	}
	err := filepath.WalkDir(folder, func(path string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && path == folder {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		if d.IsDir() && path == filepath.Join(folder, protocol.UpdateGenerated) {
			return g.harvestGenerated(u, path)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(folder, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		exp[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the expected results of lesson %s on the grading-time data: %w", u.lesson, err)
	}
	return nil
}

// harvestGenerated reads into u.generated the data sets a calibration run
// generated, from dir, and tells the walk of the folder above to skip it.
func (g *grader) harvestGenerated(u *unit, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".db")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		if u.generated == nil {
			u.generated = map[string][]byte{}
		}
		u.generated[name] = data
	}
	return filepath.SkipDir
}

// dataOf returns the data set of a path under expected/:
// <check>/<data set>[.<name>].json.
func dataOf(rel string) string {
	base := strings.TrimSuffix(filepath.Base(rel), ".json")
	name, _, _ := strings.Cut(base, ".")
	return name
}

// FreshSet is one data set made at grading time.
type FreshSet struct {
	// Name is the set's name in the report (budget-fresh).
	Name string
	// Replaces is the variant it stood in for, under whose name the
	// checks ran on it (budget-variant).
	Replaces string
}

// freshLessons returns the lessons whose checks used a fresh set.
func (g *grader) freshLessons() []string {
	var out []string
	for _, l := range g.lessons {
		for _, d := range g.used[l.ID()] {
			if g.fresh[d] {
				out = append(out, l.ID())
				break
			}
		}
	}
	return out
}
