// Package runner is the workbook's execution core: it runs a lesson's
// checks program, in a process group of its own and under its limits, reads
// what the checker decided, and returns one [Outcome]. `workbook run`,
// watch mode, `workbook dev` and `workbook grade` all run checks through
// [Run].
//
// A checks program is either `go test -json` on the lesson's package,
// built from the learner's working copy ([Spec.Root], with an optional
// overlay), or a test program the grader built beforehand ([Spec.Binary]).
//
// Verdicts come from the results file the checker writes (see package
// workbook/internal/protocol), never from the text the tests print: a
// learner's program can print anything, and it changes nothing. The
// program's output is read for what only it knows: whether the code
// compiled, when the test program started, and what it printed before a
// crash.
package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/scratch"
)

// Spec says which checks program to run, and how. The zero value of each
// limit means its default.
type Spec struct {
	// Lesson is the lesson whose checks run.
	Lesson *lesson.Lesson

	// Root is the workbook whose lesson `go test` builds and runs, when
	// Binary is empty. Overlay maps files of the lesson (absolute paths)
	// to files that take their place for this run, as go build's -overlay
	// flag does: how the reference solution runs without touching the
	// learner's file.
	Root    string
	Overlay map[string]string

	// Binary is a test program built beforehand, run with Args in Dir,
	// with Environ as its whole environment besides the protocol's.
	Binary  string
	Args    []string
	Dir     string
	Environ []string
	// Sandbox, when set, runs Binary confined (see [Sandbox]); Dir and
	// ResultsFile must then be inside its Writable folders. Run then sets
	// Binary's mode to 0111 (executable, readable by nobody) and leaves it
	// so.
	Sandbox *Sandbox
	// Memory caps the address space of Binary and all it starts, in
	// bytes; 0 means DefaultMemory, and a negative value sets no cap.
	Memory int64

	// Protocol is what the checks program is told. Its Results is set by
	// Run to a file of its own, unless ResultsFile names one (a graded
	// run's, which its Grading names).
	Protocol protocol.Env
	// ResultsFile is where the checker's records go, when the caller
	// chose it; empty for a temporary file.
	ResultsFile string
	// Key, when set, means the records are signed with it: only those
	// whose signature holds count (a graded run).
	Key []byte
	// TempDir is where Run makes its temporary folder; "" means the
	// system's. A grader names one of its own folders, which it removes
	// however it ends.
	TempDir string

	// Limit bounds the program's run once built. Zero means the lesson's
	// own limit, with the allowance of Protocol.Latency.
	Limit time.Duration
	// MaxOutput bounds what the program may print, in bytes, before the
	// run is stopped as flooding; 0 means DefaultMaxOutput, and a negative
	// value sets no bound (the time limit still holds).
	MaxOutput int64
	// Preparing is called once if `go test` has not finished building
	// after PrepareAfter (default 1s), so that a slow first build
	// (go-sqlite3 compiles SQLite's C source) does not look like a hang.
	Preparing    func()
	PrepareAfter time.Duration
	// Working is called once if the checks program, built, still runs
	// after WorkingAfter (default 1s): checks that time code at several
	// sizes, or a check waiting for code that hangs, are not silence.
	Working      func()
	WorkingAfter time.Duration
}

// DefaultMaxOutput is how much a test program may print before its run is
// stopped: far more than any check prints, far less than a print in a loop
// that never ends.
const DefaultMaxOutput = 8 << 20

// waitDelay is how long Run waits for the program's output to end once it
// has exited or been killed: a process it started in a session of its own
// may hold the output open, and is not waited for.
const waitDelay = 2 * time.Second

// Run runs the checks program s describes and returns what it found. The
// error is for a run that could not be made (no go command, a folder that
// cannot be written, ctx cancelled); everything the program did, however
// badly, is in the Outcome.
func Run(ctx context.Context, s Spec) (*Outcome, error) {
	began := time.Now()
	tmp, err := os.MkdirTemp(s.TempDir, "workbook-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	resultsFile := s.ResultsFile
	if resultsFile == "" {
		resultsFile = filepath.Join(tmp, "results.jsonl")
	}
	env := s.Protocol
	if s.ResultsFile == "" {
		env.Results = resultsFile
	}
	if env.Scratch == "" && env.Grading == "" && s.Sandbox != nil && s.Binary != "" {
		env.Scratch = "/tmp" // the sandbox's own, gone with it
	} else if env.Scratch == "" && env.Grading == "" {
		// The checks' copies of the data go in a folder of the run's own,
		// removed here whatever becomes of the program: one that crashes
		// or is killed cannot clean up after itself.
		copies, err := scratch.MkdirTemp("workbook-run-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(copies)
		env.Scratch = copies
	}
	limit := s.Limit
	if limit <= 0 {
		limit = s.Lesson.RunTimeout() + env.RunAllowance(len(s.Lesson.Checks))
	}

	cmd, err := s.command(tmp, limit)
	if err != nil {
		return nil, err
	}
	cmd.Env = append(cmd.Env, env.Environ()...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	KillWithParent(cmd.SysProcAttr)
	cmd.WaitDelay = waitDelay

	maxOutput := s.MaxOutput
	if maxOutput == 0 {
		maxOutput = DefaultMaxOutput
	}
	flooded, started := make(chan struct{}), make(chan struct{})
	var floodOnce, startOnce sync.Once
	ev := &events{maxOutput: maxOutput, json: s.Binary == ""}
	ev.onFlood = func() { floodOnce.Do(func() { close(flooded) }) }
	ev.onStart = func() { startOnce.Do(func() { close(started) }) }
	out := &lineWriter{line: ev.line}
	var stderr bytes.Buffer
	cmd.Stdout = out
	if s.Binary == "" {
		cmd.Stderr = &limitedWriter{w: &stderr, n: 64 << 10}
	} else {
		cmd.Stderr = out
		ev.onStart() // nothing to build: its limit starts now
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the checks of lesson %s: %w", s.Lesson.ID(), err)
	}
	kill := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()

	o := &Outcome{Lesson: s.Lesson, Limit: limit, MaxOutput: maxOutput}
	prepare := time.NewTimer(orDefault(s.PrepareAfter, time.Second))
	defer prepare.Stop()
	var deadline, working <-chan time.Time
	for waiting := true; waiting; {
		select {
		case <-prepare.C:
			if s.Preparing != nil && s.Binary == "" {
				s.Preparing()
			}
		case <-working:
			working = nil
			s.Working()
		case <-started:
			started = nil
			prepare.Stop() // built: no more talk of building
			t := time.NewTimer(limit)
			defer t.Stop()
			deadline = t.C
			if s.Working != nil {
				w := time.NewTimer(orDefault(s.WorkingAfter, time.Second))
				defer w.Stop()
				working = w.C
			}
		case <-deadline:
			o.Stopped = true
			waiting = false
		case <-flooded:
			o.Flooded = true
			waiting = false
		case <-ctx.Done():
			kill()
			<-exited
			return nil, ctx.Err()
		case <-exited:
			waiting = false
		}
	}
	kill() // the program, if it still runs, and whatever it left running
	<-exited
	out.flush()

	if s.Binary == "" {
		o.Build = ev.buildErrors()
		if len(o.Build) == 0 && !ev.ran && stderr.Len() > 0 && !o.Stopped && !o.Flooded {
			o.Build = nonEmptyLines(stderr.String())
		}
	}
	o.read(resultsFile, s.Key)
	if len(o.Build) > 0 {
		o.BuildProblems = ExplainBuild(s.Lesson, o.Build)
		o.markAll(protocol.StatusCompileError)
	} else if !o.Complete() || o.Stopped || o.Flooded {
		o.Crash = ev.tail(40)
	}
	o.Elapsed = time.Since(began)
	return o, nil
}

// orDefault returns d, or def when d is not positive.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// command returns the command that runs s's program.
func (s Spec) command(tmp string, limit time.Duration) (*exec.Cmd, error) {
	if s.Binary != "" {
		argv := append([]string{s.Binary}, s.Args...)
		if sb := s.Sandbox; sb != nil {
			if !inside(s.Dir, sb.Writable) || s.ResultsFile != "" && !inside(s.ResultsFile, sb.Writable) {
				return nil, fmt.Errorf("runner: the working folder %s and the results file %s must be inside the sandbox's folders %v", s.Dir, s.ResultsFile, sb.Writable)
			}
			if s.ResultsFile == "" {
				// The results file Run made, in its own folder.
				box := *sb
				box.Writable = append(append([]string(nil), sb.Writable...), tmp)
				sb = &box
			}
			// Executable, not readable: in the sandbox nothing may read
			// the program's file (in a shared program it holds every
			// classmate's code and SQL). It is bound read-only, so it
			// cannot be made readable again, and the sandbox keeps no
			// capability, so root cannot read it either. The mode stays.
			if err := os.Chmod(s.Binary, 0o111); err != nil {
				return nil, fmt.Errorf("runner: making the test program %s executable only before it runs sandboxed: %w", s.Binary, err)
			}
			argv = sb.wrap(s.Binary, s.Args, s.Dir)
		}
		if s.Memory >= 0 {
			memory := s.Memory
			if memory == 0 {
				memory = DefaultMemory
			}
			argv, _ = limitMemory(argv, memory)
		}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = s.Dir
		cmd.Env = append([]string(nil), s.Environ...)
		return cmd, nil
	}
	goCmd, err := GoTools()
	if err != nil {
		return nil, err
	}
	args := []string{"test", "-json", "-count=1"}
	replace, err := shadowOverlay(s.Lesson, s.Root, s.Overlay, tmp)
	if err != nil {
		return nil, err
	}
	if len(replace) > 0 {
		overlay := filepath.Join(tmp, "overlay.json")
		data, err := json.Marshal(map[string]any{"Replace": replace})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(overlay, data, 0o600); err != nil {
			return nil, err
		}
		args = append(args, "-overlay="+overlay)
	}
	rel, err := filepath.Rel(s.Root, s.Lesson.Dir)
	if err != nil {
		rel = s.Lesson.Dir
	}
	// go test's own limit is a backstop behind ours; it prints the
	// goroutines, which helps with a crash report.
	args = append(args, fmt.Sprintf("-timeout=%s", limit+30*time.Second), "./"+filepath.ToSlash(rel))
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = s.Root
	cmd.Env = append(protocol.Strip(os.Environ()), "CGO_ENABLED=1")
	return cmd, nil
}
