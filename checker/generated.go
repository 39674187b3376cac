package checker

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"workbook/internal/dataset"
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
func (cfg *config) generatedCopy(from string, users int, dir string) (string, error) {
	name := generatedName(users)
	path := filepath.Join(dir, name+".db")
	generated.mu.Lock()
	defer generated.mu.Unlock()
	if b, ok := generated.sets[name]; ok {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return "", fmt.Errorf("checker: copy of %s: %w", name, err)
		}
		return path, nil
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
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("checker: making %s: %w", name, err)
	}
	generated.sets[name] = b
	return path, nil
}
