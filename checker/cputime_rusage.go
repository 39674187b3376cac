//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package checker

import (
	"syscall"
	"time"
)

// processClock measures the CPU time this process has used, in user and
// system mode: the work a function does, which other programs on a busy
// machine cannot inflate the way they inflate the time on the wall.
func processClock() clock {
	return clock{what: "CPU time", now: func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}}
}
