package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"workbook/internal/scratch"
)

// sessionEnv, when set, makes the test program run a scratchpad session on
// the seeded file it names, as `dbhelper sql FILE` does.
const sessionEnv = "DBHELPER_TEST_SESSION"

func TestMain(m *testing.M) {
	if seeded := os.Getenv(sessionEnv); seeded != "" {
		if err := session(seeded, os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSessionRemovesItsCopy checks that a scratchpad removes its copy when
// its input ends, and when it is stopped with SIGTERM or SIGHUP (a closed
// terminal) before that.
func TestSessionRemovesItsCopy(t *testing.T) {
	seeded, err := filepath.Abs("../../../data/budget.db")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		end  func(*exec.Cmd, *os.File) error
	}{
		{"input ends", func(_ *exec.Cmd, in *os.File) error { return in.Close() }},
		{"SIGTERM", func(c *exec.Cmd, _ *os.File) error { return c.Process.Signal(syscall.SIGTERM) }},
		{"SIGHUP", func(c *exec.Cmd, _ *os.File) error { return c.Process.Signal(syscall.SIGHUP) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := copies(t)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), sessionEnv+"="+seeded)
			cmd.Stdin = r
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			r.Close()
			if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
				t.Fatalf("no first reply: %v", err)
			}
			var made []string
			for _, d := range copies(t) {
				if !slices.Contains(before, d) {
					made = append(made, d)
				}
			}
			if len(made) == 0 {
				t.Fatal("the session made no copy")
			}
			if err := tt.end(cmd, w); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the session did not end")
			}
			for _, d := range made {
				if _, err := os.Stat(d); err == nil {
					t.Errorf("%s is still there", d)
					os.RemoveAll(d)
				}
			}
		})
	}
}

func copies(t *testing.T) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(scratch.Dir(), "workbook-sql-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
