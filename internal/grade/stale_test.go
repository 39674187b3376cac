//go:build unix

package grade

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// A grading removes the folders of gradings that no longer run (their lock
// free), and never one whose lock is held, one without a lock, another
// name, or what a link points to.
func TestRemoveStale(t *testing.T) {
	parent := t.TempDir()
	stale, err := makeTempDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stale.path, "left.db"), []byte("x"), 0o600)
	stale.lock.Close() // its grader is gone: the lock goes with it
	live, err := makeTempDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer live.remove()
	os.WriteFile(filepath.Join(live.path, "in-use.db"), []byte("x"), 0o600)
	unlocked := filepath.Join(parent, tempPrefix+"nolock")
	other := filepath.Join(parent, "workbook-run-1")
	elsewhere := t.TempDir()
	target, err := makeTempDir(elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	target.lock.Close()
	link := filepath.Join(parent, tempPrefix+"link")
	for _, d := range []string{unlocked, other} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(target.path, link); err != nil {
		t.Fatal(err)
	}

	removed, err := removeStale(parent)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{stale.path}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	if _, err := os.Stat(stale.path); !os.IsNotExist(err) {
		t.Errorf("the stale folder is still there (%v)", err)
	}
	for _, p := range []string{filepath.Join(live.path, "in-use.db"), filepath.Join(live.path, lockName), unlocked, other, link, target.path} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}

	// Once its grading ends, the live folder's lock is free too.
	live.lock.Close()
	if removed, err := removeStale(parent); err != nil || !reflect.DeepEqual(removed, []string{live.path}) {
		t.Errorf("after its grading ended: removed %v, %v; want %v", removed, err, []string{live.path})
	}
}

// The lock file names the process that holds it, and is only ever there
// locked: the file being locked has another name.
func TestMakeTempDir(t *testing.T) {
	d, err := makeTempDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.remove()
	b, err := os.ReadFile(filepath.Join(d.path, lockName))
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte(strconv.Itoa(os.Getpid()) + "\n"); string(b) != string(want) {
		t.Errorf("the lock file holds %q, want %q", b, want)
	}
	if _, err := os.Stat(filepath.Join(d.path, lockName+".new")); !os.IsNotExist(err) {
		t.Errorf("the lock's making name is still there: %v", err)
	}
	f, err := os.Open(filepath.Join(d.path, lockName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := lockFile(f); err != errLocked {
		t.Errorf("locking a running grading's folder again: %v, want %v", err, errLocked)
	}
}
