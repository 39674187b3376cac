package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// quiet is short, so that the tests run fast, and long enough that the
// writes of one save land inside it on a loaded machine.
const quiet = 100 * time.Millisecond

func TestSaves(t *testing.T) {
	tests := []struct {
		name        string
		save        func(t *testing.T, dir, file string) // runs on its own goroutine
		wantChanges int
	}{
		{
			name: "a write in place",
			save: func(t *testing.T, dir, file string) {
				write(t, file, "package x // edited\n")
			},
			wantChanges: 1,
		},
		{
			name: "several writes in a burst are one save",
			save: func(t *testing.T, dir, file string) {
				for i := 0; i < 5; i++ {
					write(t, file, "package x\n")
				}
			},
			wantChanges: 1,
		},
		{
			name: "a temporary file renamed over it, as many editors save",
			save: func(t *testing.T, dir, file string) {
				tmp := filepath.Join(dir, ".report.go.swp")
				write(t, tmp, "package x // saved\n")
				if err := os.Rename(tmp, file); err != nil {
					t.Error(err)
				}
			},
			wantChanges: 1,
		},
		{
			name: "two saves apart are two",
			save: func(t *testing.T, dir, file string) {
				write(t, file, "package x // one\n")
				time.Sleep(4 * quiet)
				write(t, file, "package x // two\n")
			},
			wantChanges: 2,
		},
		{
			name: "another file in the folder is not a save",
			save: func(t *testing.T, dir, file string) {
				write(t, filepath.Join(dir, "notes.txt"), "thoughts\n")
			},
			wantChanges: 0,
		},
		{
			name: "a change of permissions alone is not a save",
			save: func(t *testing.T, dir, file string) {
				if err := os.Chmod(file, 0o600); err != nil {
					t.Error(err)
				}
			},
			wantChanges: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "report.go")
			write(t, file, "package x\n")
			w, err := New([]string{file}, quiet)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()

			saved := make(chan struct{})
			go func() {
				defer close(saved)
				tt.save(t, dir, file)
			}()
			// Count the changes as they arrive, until the save is done and
			// none has come for a while.
			got := 0
			for done := false; ; {
				select {
				case <-w.Changes():
					got++
					continue
				case err := <-w.Errors():
					t.Fatal(err)
				case <-saved:
					saved, done = nil, true
					continue
				case <-time.After(6 * quiet):
				}
				if done {
					break
				}
			}
			if got != tt.wantChanges {
				t.Errorf("got %d changes, want %d", got, tt.wantChanges)
			}
		})
	}
}

func TestAMissingFolderIsAnError(t *testing.T) {
	_, err := New([]string{filepath.Join(t.TempDir(), "gone", "report.go")}, quiet)
	if err == nil {
		t.Fatal("watching a file in a missing folder succeeded")
	}
}

func TestCloseEnds(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.go")
	write(t, file, "package x\n")
	w, err := New([]string{file}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- w.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

// write writes a file; it reports a failure with t.Error, as saves run on
// a goroutine of their own.
func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Error(err)
	}
}
