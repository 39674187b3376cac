package checker

import (
	"fmt"
	"syscall"
)

// prSetDumpable and prGetDumpable are prctl's options (linux/prctl.h).
const (
	prSetDumpable = 4
	prGetDumpable = 3
)

// undumpable makes this process not dumpable (prctl PR_SET_DUMPABLE 0), as
// a graded run's first step, before any learner code runs. The kernel then
// lets no other process of the same user read its memory
// (/proc/<pid>/mem, process_vm_readv, ptrace: a child the learner's code
// starts with os/exec among them) without CAP_SYS_PTRACE, and makes the
// files of /proc/self belong to root, so that a process not run as root
// cannot open its own /proc/self/mem either. The flag is not inherited
// across exec: a program the learner's code starts is dumpable, but
// holds nothing of the grader's.
func undumpable() error {
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); e != 0 {
		return fmt.Errorf("checker: graded run: prctl(PR_SET_DUMPABLE, 0), which keeps other processes from reading this one's memory: %w", e)
	}
	return nil
}

// dumpable reports whether this process is dumpable (prctl
// PR_GET_DUMPABLE).
func dumpable() (bool, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetDumpable, 0, 0)
	if e != 0 {
		return false, fmt.Errorf("checker: prctl(PR_GET_DUMPABLE): %w", e)
	}
	return r != 0, nil
}
