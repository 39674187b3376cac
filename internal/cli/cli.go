// Package cli implements the workbook command: each subcommand in its own
// file, Main dispatching to them.
package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"workbook/internal/lesson"
	"workbook/internal/progress"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // a check failed, the code did not build, or the command failed
	exitUsage = 2 // the command line was wrong
)

// commands lists the subcommands in the order help shows them.
var commands = []*command{cmdWatch, cmdRun, cmdList, cmdHint, cmdSolution, cmdReset, cmdDB, cmdSQL, cmdDev, cmdGrade, cmdHelp}

// env is what a command works with.
type env struct {
	stdin          io.Reader // the learner's answers to questions
	stdout, stderr io.Writer
	style          style
	shell          // where the learner is, and how they type the workbook command

	root    string // found on demand by workbook()
	lessons []*lesson.Lesson

	cmd *command // the command running, which usage errors name
	// commands are the commands, for help to list. (Help reading the
	// commands variable, which holds help, would be an initialization
	// cycle.)
	commands []*command
}

// Main runs the workbook command with args (without the program's name) and
// returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "workbook: %v\n", err)
		return exitFail
	}
	e := &env{stdin: os.Stdin, stdout: stdout, stderr: stderr, style: styleFor(stdout),
		shell: shell{cwd: cwd, self: "workbook"}, commands: commands}
	installed := isInstalled()
	if !installed {
		// Not on the PATH: say commands in the go run form, from where the
		// learner is, once the workbook's root is known.
		e.self = "go run ./cmd/workbook"
		if root, err := lesson.FindRoot(cwd); err == nil {
			if rel, err := filepath.Rel(cwd, filepath.Join(root, "cmd", "workbook")); err == nil {
				if !strings.HasPrefix(rel, ".") {
					rel = "./" + rel
				}
				e.self = "go run " + filepath.ToSlash(rel)
			}
		}
	}
	if len(args) == 0 {
		// On a terminal, watch mode; in a script or a pipe, one run.
		if isTerminal(os.Stdin) && isTerminal(os.Stdout) {
			return cmdWatch.main(e, nil)
		}
		return cmdRun.main(e, nil)
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	for _, c := range commands {
		if c.name == name {
			return c.main(e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "workbook: unknown command %q\nRun 'workbook help' for usage.\n", name)
	return exitUsage
}

// workbook finds the workbook's root and reads its lessons.
func (e *env) workbook() error {
	if e.root != "" {
		return nil
	}
	root, err := lesson.FindRoot(e.cwd)
	if err != nil {
		return err
	}
	all, err := lesson.LoadAll(root)
	if err != nil {
		return err
	}
	e.root, e.lessons = root, all
	return nil
}

// fail reports err as the command's failure.
func (e *env) fail(err error) int {
	fmt.Fprintf(e.stderr, "workbook: %v\n", err)
	return exitFail
}

// usageError reports a wrong command line for the command running.
func (e *env) usageError(format string, args ...any) int {
	c := e.cmd
	fmt.Fprintf(e.stderr, "workbook %s: %s\nusage: workbook %s\nRun 'workbook help %s' for details.\n",
		c.name, fmt.Sprintf(format, args...), c.synopsis(), c.name)
	return exitUsage
}

// findLesson resolves a lesson argument, reporting a miss with the lessons
// there are and the nearest match.
func (e *env) findLesson(query string) (*lesson.Lesson, int) {
	l, err := lesson.Find(e.lessons, query)
	if err == nil {
		return l, exitOK
	}
	fmt.Fprintf(e.stderr, "workbook %s: %v\n\nThe lessons are:\n", e.cmd.name, err)
	nameW, _ := columnWidths(e.lessons)
	for _, l := range e.lessons {
		fmt.Fprintf(e.stderr, "  %2d  %-*s  %s\n", l.Number, nameW, l.Name, l.Title)
	}
	return nil, exitUsage
}

// chosenLesson reads the workbook and the learner's progress and returns the
// lesson args name, or with no args the lesson the learner is on. When it
// returns a nil lesson, the command is over and code is its exit status;
// allPassed is printed when no lesson was named and every one has passed.
func (e *env) chosenLesson(args []string, allPassed string) (l *lesson.Lesson, st *progress.State, code int) {
	if len(args) > 1 {
		return nil, nil, e.usageError("name one lesson")
	}
	if err := e.workbook(); err != nil {
		return nil, nil, e.fail(err)
	}
	st, err := progress.Load(e.root)
	if err != nil {
		return nil, nil, e.fail(err)
	}
	if len(args) == 1 {
		l, code = e.findLesson(args[0])
		return l, st, code
	}
	if l = e.current(st); l == nil {
		fmt.Fprintln(e.stdout, allPassed)
		return nil, st, exitOK
	}
	return l, st, exitOK
}

// current returns the first lesson not yet passed, or nil when all have.
func (e *env) current(st *progress.State) *lesson.Lesson {
	for _, l := range e.lessons {
		if !st.Passed(l.ID()) {
			return l
		}
	}
	return nil
}

// shell is where the learner types the workbook's commands: the folder
// they are in, and how the workbook command is typed there. Paths and
// commands are shown to them as they would type them.
type shell struct {
	cwd  string // the working directory
	self string // how to type the workbook command: "workbook" or "go run ./cmd/workbook"
}

// show returns path as the learner should type or click it: relative to the
// working directory when inside it.
func (sh shell) show(path string) string {
	if r, err := filepath.Rel(sh.cwd, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// lessonFiles returns the learner's files of l as show renders them.
func (sh shell) lessonFiles(l *lesson.Lesson) string {
	var files []string
	for _, f := range l.Files {
		files = append(files, sh.show(l.LearnerPath(f)))
	}
	return strings.Join(files, ", ")
}

// runCmd and hintCmd are the commands that run lesson l and show its next
// hint, as the learner can type them.
func (sh shell) runCmd(l *lesson.Lesson) string  { return fmt.Sprintf("%s run %d", sh.self, l.Number) }
func (sh shell) hintCmd(l *lesson.Lesson) string { return fmt.Sprintf("%s hint %d", sh.self, l.Number) }

// solutionCmd is the command that shows the reference solution of l.
func (sh shell) solutionCmd(l *lesson.Lesson) string {
	return fmt.Sprintf("%s solution %d", sh.self, l.Number)
}

// isInstalled reports whether "workbook" on the PATH is this very program,
// so that the learner can type it as "workbook". A learner who runs it with
// go run, as the README starts them, has no such command.
func isInstalled() bool {
	self, err := os.Executable()
	if err != nil {
		return true
	}
	onPath, err := exec.LookPath("workbook")
	if err != nil {
		return false
	}
	fa, err1 := os.Stat(self)
	fb, err2 := os.Stat(onPath)
	if err1 != nil || err2 != nil {
		return true
	}
	return os.SameFile(fa, fb)
}
