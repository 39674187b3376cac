//go:build !linux

package runner

import "syscall"

// KillWithParent does nothing where the system cannot kill a process when
// its parent ends: a process started by one killed outright runs on.
func KillWithParent(attr *syscall.SysProcAttr) {}
