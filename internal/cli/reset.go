package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
)

// cmdReset is workbook reset.
var cmdReset = &command{
	name:  "reset",
	args:  "lesson",
	short: "put a lesson's file back as it was shipped, keeping yours",
	long: `Reset puts the file(s) you edit for a lesson back as they were shipped,
after asking you to confirm. Your version is kept first, in
.workbook/backup/NN-name/<date-time>/, so nothing is lost. No other file is
touched. The lesson then counts as not passed until you pass it again.

The shipped versions come from _shipped/ in the workbook, so reset works the
same in a git clone and in a downloaded copy.`,
	run: withFlags((*resetOptions).setFlags, runReset),
}

// resetOptions are the flags of reset.
type resetOptions struct {
	yes bool
}

// setFlags declares the flags of reset into o.
func (o *resetOptions) setFlags(fs *flagSet) {
	fs.BoolVar(&o.yes, "y", false, "Do not ask: reset at once (for scripts).")
	fs.Alias("yes", "y")
}

// runReset puts the files of the lesson args name back as they were
// shipped, once the learner confirms.
func runReset(e *env, opt resetOptions, args []string) int {
	if len(args) != 1 {
		return e.usageError("name the lesson to reset, such as: %s reset 7", e.self)
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	l, code := e.findLesson(args[0])
	if l == nil {
		return code
	}
	st, err := progress.Load(e.root)
	if err != nil {
		return e.fail(err)
	}
	confirm := func(question string) bool {
		if opt.yes {
			return true
		}
		fmt.Fprintf(e.stdout, "%s [y/N] ", question)
		answer := readAnswer(e.stdin)
		fmt.Fprintln(e.stdout)
		return isYes(answer)
	}
	res, err := e.resetLesson(l, st, confirm, time.Now())
	switch {
	case err != nil:
		return e.fail(err)
	case res == resetDeclined:
		return exitFail
	case res == resetDone:
		fmt.Fprintf(e.stdout, "Run it: %s\n", e.runCmd(l))
	}
	return exitOK
}

// isYes reports whether an answer to a question says yes.
func isYes(answer string) bool {
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	}
	return false
}

// resetFile is one of a lesson's files, as the learner has it and as it was
// shipped.
type resetFile struct {
	rel     string // relative to the lesson's folder
	path    string // the learner's file
	shipped []byte
	current []byte // nil when the learner's file is missing
	mode    fs.FileMode
}

// resetResult says what a reset did.
type resetResult int

const (
	resetDone     resetResult = iota // the files were put back
	resetUnneeded                    // they were as shipped already
	resetDeclined                    // the learner said no
)

// resetLesson puts the files of l back as they were shipped, once confirm
// (asked only when something would change) says yes, keeping the learner's
// versions in a backup folder named for now, and records in st that l has
// not passed.
func (e *env) resetLesson(l *lesson.Lesson, st *progress.State, confirm func(question string) bool, now time.Time) (resetResult, error) {
	files, err := e.shippedFiles(l)
	if err != nil {
		return resetDeclined, err
	}
	var changed []resetFile
	var names []string
	for _, f := range files {
		if f.current == nil || !bytes.Equal(f.current, f.shipped) {
			changed = append(changed, f)
			names = append(names, e.show(f.path))
		}
	}
	if len(changed) == 0 {
		fmt.Fprintf(e.stdout, "%s %s already as shipped: nothing to reset.\n", e.lessonFiles(l), plural(len(files), "is", "are"))
		return resetUnneeded, nil
	}
	backup := filepath.Join(e.root, ".workbook", "backup", l.ID(), now.Format("20060102-150405"))
	for i := 2; exists(backup); i++ {
		backup = filepath.Join(e.root, ".workbook", "backup", l.ID(), fmt.Sprintf("%s-%d", now.Format("20060102-150405"), i))
	}
	question := fmt.Sprintf("Reset %s to the shipped version? Yours is kept in %s%c first.",
		strings.Join(names, ", "), e.show(backup), filepath.Separator)
	if !confirm(question) {
		fmt.Fprintln(e.stdout, "Not reset: nothing was changed.")
		return resetDeclined, nil
	}
	for _, f := range changed {
		if f.current == nil {
			continue
		}
		dst := filepath.Join(backup, filepath.FromSlash(f.rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return resetDeclined, fmt.Errorf("keeping your file: %w", err)
		}
		if err := os.WriteFile(dst, f.current, 0o644); err != nil {
			return resetDeclined, fmt.Errorf("keeping your file: %w", err)
		}
	}
	for _, f := range changed {
		if err := writeAtomic(f.path, f.shipped, f.mode); err != nil {
			return resetDeclined, fmt.Errorf("resetting %s: %w", e.show(f.path), err)
		}
		if f.current != nil {
			fmt.Fprintf(e.stdout, "Reset %s to the shipped version; yours is in %s\n", e.show(f.path), e.show(filepath.Join(backup, filepath.FromSlash(f.rel))))
		} else {
			fmt.Fprintf(e.stdout, "Put back %s, which was missing\n", e.show(f.path))
		}
	}
	st.Forget(l.ID()) // the learner starts the lesson over
	return resetDone, st.Save(e.root)
}

// shippedFiles reads the learner's files of l and their shipped versions.
func (e *env) shippedFiles(l *lesson.Lesson) ([]resetFile, error) {
	var files []resetFile
	for _, rel := range l.Files {
		f := resetFile{rel: rel, path: l.LearnerPath(rel), mode: 0o644}
		src := l.ShippedPath(rel)
		shipped, err := os.ReadFile(src)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("lesson %d has no shipped copy of %s (%s is missing): it cannot be reset.\n"+
				"The lesson's author makes it with: %s dev shipped %d", l.Number, rel, e.show(src), e.self, l.Number)
		}
		if err != nil {
			return nil, err
		}
		f.shipped = shipped
		current, err := os.ReadFile(f.path)
		switch {
		case err == nil:
			f.current = current
			if fi, err := os.Stat(f.path); err == nil {
				f.mode = fi.Mode().Perm()
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// writeAtomic replaces the file at path with data: written beside it first,
// then renamed over it, so that an editor or a watcher never sees it half
// written. The temporary name starts with a dot, which the go command
// ignores.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".workbook-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// readAnswer reads one line from r: the learner's answer to a question.
func readAnswer(r io.Reader) string {
	line, _ := bufio.NewReader(r).ReadString('\n')
	return line
}
