package grade

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix begins the name of every temporary folder a grading makes:
// one in the system's temporary folder (the build copy, the programs, each
// run's folder) and, for unsandboxed runs, one in scratch.Dir (the checks'
// copies of the data).
const tempPrefix = "workbook-grade-"

// lockName is the file in each of a grading's temporary folders that it
// holds locked (flock) as long as it runs. The lock goes with the process,
// however it ends, so a folder whose lock can be taken belongs to a grading
// that is no longer running.
const lockName = "grader.lock"

// tempDir is a temporary folder of this grading, locked as its own.
type tempDir struct {
	path string
	lock *os.File
}

// makeTempDir creates a temporary folder in parent ("" for the system's
// temporary folder) and locks it as this grading's. The lock file is
// locked under another name and then renamed, so that no other grading
// ever finds it there and unlocked.
func makeTempDir(parent string) (*tempDir, error) {
	dir, err := os.MkdirTemp(parent, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("making the grading's temporary folder: %w", err)
	}
	fail := func(err error) (*tempDir, error) {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("locking the grading's temporary folder %s: %w", dir, err)
	}
	making := filepath.Join(dir, lockName+".new")
	f, err := os.OpenFile(making, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fail(err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return fail(err)
	}
	// The process that holds the lock, for whoever looks.
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return fail(err)
	}
	if err := os.Rename(making, filepath.Join(dir, lockName)); err != nil {
		f.Close()
		return fail(err)
	}
	return &tempDir{path: dir, lock: f}, nil
}

// remove removes the folder, then lets go of its lock.
func (t *tempDir) remove() error {
	err := os.RemoveAll(t.path)
	t.lock.Close()
	return err
}

// removeStale removes every folder named tempPrefix… in parent ("" for
// the system's temporary folder) that a grading no longer running left
// behind (killed with SIGKILL, or the machine stopped): one of this user's
// that holds a lock file no process holds locked. A folder whose lock is
// held belongs to a grading still running and is left alone, as is one
// without a lock file (a grading making it this instant, or a workbook
// older than locks). It returns the folders removed, and an error naming
// each it could not remove.
func removeStale(parent string) ([]string, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, fmt.Errorf("looking for folders left by earlier gradings in %s: %w", parent, err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue // a link is never followed, nor removed
		}
		dir := filepath.Join(parent, e.Name())
		fi, err := e.Info()
		if err != nil || !ownFolder(fi) {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDONLY|openNoWait, 0)
		if err != nil {
			continue // no lock file: not known to be stale
		}
		if err := lockFile(f); err != nil {
			f.Close()
			if !errors.Is(err, errLocked) {
				errs = append(errs, fmt.Errorf("%s: %w", dir, err))
			}
			continue // a grading still running holds it
		}
		err = os.RemoveAll(dir)
		f.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("removing %s, left by a grading no longer running: %w (remove it yourself)", dir, err))
			continue
		}
		removed = append(removed, dir)
	}
	return removed, errors.Join(errs...)
}

// errLocked is lockFile's error when another process holds the lock.
var errLocked = errors.New("locked by a running grading")
