// Package watch tells when the learner saves a file.
//
// It watches the folders that hold the files, with
// github.com/fsnotify/fsnotify (inotify on Linux, kqueue on macOS and BSD),
// because editors rarely write a file in place: many write a temporary file
// and rename it over the old one, which a watch on the file itself would lose
// after the first save. A save is several events (create, write, rename,
// chmod); the watcher reports one change once they have been quiet for a
// moment.
package watch

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultQuiet is how long a burst of events must be quiet before it counts
// as one save.
const DefaultQuiet = 150 * time.Millisecond

// Watcher reports saves of a set of files.
type Watcher struct {
	fsw     *fsnotify.Watcher
	files   map[string]bool
	quiet   time.Duration
	changes chan struct{}
	errs    chan error
	done    chan struct{}
}

// New watches files (paths of existing or future files in existing folders)
// and reports a change on Changes once events about them have been quiet for
// quiet (DefaultQuiet when 0). It fails when the system cannot watch, for
// instance when the inotify limits are reached.
func New(files []string, quiet time.Duration) (*Watcher, error) {
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching files: %w", err)
	}
	w := &Watcher{
		fsw:     fsw,
		files:   map[string]bool{},
		quiet:   quiet,
		changes: make(chan struct{}, 1),
		errs:    make(chan error, 1),
		done:    make(chan struct{}),
	}
	dirs := map[string]bool{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			fsw.Close()
			return nil, err
		}
		w.files[abs] = true
		dir := filepath.Dir(abs)
		if dirs[dir] {
			continue
		}
		dirs[dir] = true
		if err := fsw.Add(dir); err != nil {
			fsw.Close()
			return nil, fmt.Errorf("watching %s: %w", dir, err)
		}
	}
	go w.loop()
	return w, nil
}

// Changes delivers one value for each save, once it has settled. Saves that
// come while an earlier one has not been received are merged into it.
func (w *Watcher) Changes() <-chan struct{} { return w.changes }

// Errors delivers errors the system reports while watching, such as an
// overflow of its event queue.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching.
func (w *Watcher) Close() error {
	err := w.fsw.Close()
	<-w.done
	return err
}

func (w *Watcher) loop() {
	defer close(w.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				timer.Stop()
				return
			}
			if w.matters(ev) {
				timer.Reset(w.quiet)
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				timer.Stop()
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		case <-timer.C:
			select {
			case w.changes <- struct{}{}:
			default: // one is waiting already
			}
		}
	}
}

// matters reports whether ev can change one of the watched files: a write,
// a create (an editor's rename over it lands as one) or a removal. A change
// of permissions alone does not.
func (w *Watcher) matters(ev fsnotify.Event) bool {
	if !w.files[filepath.Clean(ev.Name)] {
		return false
	}
	return ev.Has(fsnotify.Write) || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
}
