package grade

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// runSpec is one run of a program for one lesson.
type runSpec struct {
	prog     *program
	member   string // the member of a shared program to run
	lessonIn string // the lesson's folder in the build tree
	source   string // the folder its code was compiled from, when not lessonIn
	limit    time.Duration
	check    time.Duration // each check's own limit per data set; 0 keeps the checks'
	scratch  string        // a folder for the run: its working folder, HOME, TMPDIR, private hand-off
	expected map[string][]byte
	data     map[string][]byte
}

// runOutcome is what a run left behind.
type runOutcome struct {
	signed  protocol.Signed
	stopped bool
	output  []string // the end of what the program printed
	elapsed time.Duration
}

// run runs one lesson's checks in a program, in a process group of its
// own, killed with everything it started when it is over its time limit or
// when it ends.
func run(ctx context.Context, s runSpec) (*runOutcome, error) {
	began := time.Now()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	work, home, tmp := filepath.Join(s.scratch, "work"), filepath.Join(s.scratch, "home"), filepath.Join(s.scratch, "tmp")
	for _, d := range []string{work, home, tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	resultsFile := filepath.Join(s.scratch, "results-"+hex.EncodeToString(key[:6])+".jsonl")
	// The checks' copies of the data go in memory where there is some,
	// in a folder removed whatever becomes of the program.
	shm := tmp
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "workbook-grade-run-"); err == nil {
			shm = d
			defer os.RemoveAll(d)
		}
	}
	g := protocol.Grading{Key: hex.EncodeToString(key), Results: resultsFile, Lesson: s.lessonIn, Source: s.source, Scratch: shm}
	if s.check > 0 {
		g.Timeout = s.check.String()
	}
	gradingFile, err := protocol.WritePrivate(s.scratch, g, s.expected, s.data)
	if err != nil {
		return nil, fmt.Errorf("handing the run its data: %w", err)
	}
	defer os.RemoveAll(filepath.Dir(gradingFile)) // in case the program never read it

	var args []string
	if s.prog.units != nil {
		args = append(args, s.member)
	}
	args = append(args, "-test.count=1", fmt.Sprintf("-test.timeout=%s", s.limit+10*time.Second))
	cmd := exec.Command(s.prog.path, args...)
	cmd.Dir = work
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + tmp, "NO_COLOR=1", "LANG=C.UTF-8",
		protocol.EnvGrade + "=" + gradingFile,
	}
	out := &tailBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the checks of %s: %w", filepath.Base(s.lessonIn), err)
	}
	kill := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	o := &runOutcome{}
	timer := time.NewTimer(s.limit)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		o.stopped = true
		kill()
		<-done
	case <-ctx.Done():
		kill()
		<-done
		return nil, ctx.Err()
	}
	kill() // whatever it left running
	o.signed, err = protocol.ReadSigned(resultsFile, key)
	if err != nil {
		return nil, err
	}
	o.output = crashLines(out.String(), 40)
	o.elapsed = time.Since(began)
	return o, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > t.max {
		b = b[len(b)-t.max:]
	}
	return strings.ToValidUTF8(string(b), "?")
}

// crashLines returns what explains how a program ended: from a panic's
// first line, or else its last n lines, without the test framework's.
func crashLines(out string, n int) []string {
	return runner.CrashExcerpt(strings.Split(out, "\n"), n)
}
