package checker

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"workbook/internal/dataset"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// generated holds the budget data sets made at check time, by name
// ("budget-50000"): sets too large to ship, generated once per process from
// a copy of a shipped budget set and kept in memory, never written to
// data/.
var generated = struct {
	mu   sync.Mutex
	sets map[string][]byte
}{sets: map[string][]byte{}}

// generatedName is the name of the generated budget set of n users.
func generatedName(users int) string { return fmt.Sprintf("budget-%d", users) }

// generatedCopy writes into dir a private copy of the budget data set of
// the given number of users and returns its path. The first time a set is
// asked for it is made from a copy of the data set from, which must hold
// the budget schema, by the generator of the shipped budget-N sets (see
// [dataset.Regenerate]): the same users, the same spending, the same
// layout on disk.
//
// A graded run takes the set from the grader when it was handed one (the
// grader makes each once per grading, in the reference solutions' runs),
// and a run of the reference solutions hands the sets it made back to the
// grader (see [protocol.UpdateGenerated]).
func (cfg *config) generatedCopy(from string, users int, dir string) (string, error) {
	name := generatedName(users)
	path := filepath.Join(dir, name+".db")
	generated.mu.Lock()
	defer generated.mu.Unlock()
	b, ok := generated.sets[name]
	if !ok && cfg.graded != nil {
		if handed, err := cfg.seeds.bytes(name); err == nil && len(handed) > 0 {
			b, ok = handed, true
			generated.sets[name] = b
		}
	}
	if ok {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return "", fmt.Errorf("checker: copy of %s: %w", name, err)
		}
		return path, cfg.handBack(name, b)
	}
	made, err := cfg.seeds.freshCopy(from, dir)
	if err != nil {
		return "", err
	}
	if err := os.Rename(made, path); err != nil {
		return "", fmt.Errorf("checker: making %s: %w", name, err)
	}
	db := openOwn(sqlite.DSN(path, sqlite.Options{ForeignKeys: true}))
	err = dataset.Regenerate(db.DB, users)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("checker: making %s from a copy of %s: %w", name, from, err)
	}
	b, err = os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("checker: making %s: %w", name, err)
	}
	generated.sets[name] = b
	return path, cfg.handBack(name, b)
}

// handBack gives the grader, in a run of the reference solutions, the
// generated data set name, whose content is b.
func (cfg *config) handBack(name string, b []byte) error {
	g := cfg.graded
	if g == nil || g.update == "" {
		return nil
	}
	out := filepath.Join(g.update, protocol.UpdateGenerated)
	path := filepath.Join(out, name+".db")
	if _, err := os.Stat(path); err == nil {
		return nil // handed back already: the learner's copy and the reference's are one set
	}
	err := os.MkdirAll(out, 0o700)
	if err == nil {
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		return fmt.Errorf("checker: handing %s to the grader: %w", name, err)
	}
	return nil
}
