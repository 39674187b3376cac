package checker

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// dumpableChild names the variable that makes the test program a child of
// TestUndumpable: "self" runs the checks below, "open:<pid>" opens that
// process's memory and exits 0 if it could, 3 if it was refused.
const dumpableChild = "CHECKER_TEST_DUMPABLE_CHILD"

func TestMain(m *testing.M) {
	switch mode := os.Getenv(dumpableChild); {
	case mode == "self":
		if err := undumpableChild(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case len(mode) > 5 && mode[:5] == "open:":
		f, err := os.Open("/proc/" + mode[5:] + "/mem")
		if err != nil {
			if errors.Is(err, os.ErrPermission) {
				os.Exit(3)
			}
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		f.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// undumpableChild checks, in a process of its own, that undumpable keeps
// the process's own memory and its children's from reading it: each open
// works before and fails after.
func undumpableChild() error {
	opens := func() (self bool, child int, err error) {
		f, err := os.Open("/proc/self/mem")
		if err == nil {
			f.Close()
		} else if !errors.Is(err, os.ErrPermission) {
			return false, 0, err
		}
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), dumpableChild+"=open:"+strconv.Itoa(os.Getpid()))
		cmd.Stderr = os.Stderr
		runErr := cmd.Run()
		var exit *exec.ExitError
		if runErr != nil && !errors.As(runErr, &exit) {
			return false, 0, runErr
		}
		return err == nil, cmd.ProcessState.ExitCode(), nil
	}
	if d, err := dumpable(); err != nil || !d {
		return fmt.Errorf("before: dumpable %v, %v; want true", d, err)
	}
	self, child, err := opens()
	if err != nil || !self || child != 0 {
		return fmt.Errorf("before: opens own memory %v, child's exit %d, %v; want true, 0", self, child, err)
	}
	if err := undumpable(); err != nil {
		return err
	}
	if d, err := dumpable(); err != nil || d {
		return fmt.Errorf("after: dumpable %v, %v; want false", d, err)
	}
	self, child, err = opens()
	if err != nil || self || child != 3 {
		return fmt.Errorf("after: opens own memory %v, child's exit %d, %v; want false, 3 (refused)", self, child, err)
	}
	return nil
}

// TestUndumpable runs undumpableChild in a child process, as an ordinary
// user (root bypasses the checks it makes: the test then runs the child as
// nobody).
func TestUndumpable(t *testing.T) {
	prog, dir := os.Args[0], ""
	if os.Geteuid() == 0 {
		// A copy that nobody (65534) can run, in a folder it can enter: go test's
		// own are root's only.
		var err error
		if dir, err = os.MkdirTemp("", "undumpable"); err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		data, err := os.ReadFile(prog)
		if err != nil {
			t.Fatal(err)
		}
		prog = filepath.Join(dir, "checker.test")
		if err := os.WriteFile(prog, data, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(prog, "-test.run=^$")
	cmd.Env = append(os.Environ(), dumpableChild+"=self")
	cmd.Dir = dir
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}
