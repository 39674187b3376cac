//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package checker

import "time"

// processClock measures the time on the wall, where this system gives no
// measure of the CPU time a process has used.
func processClock() clock {
	start := time.Now()
	return clock{what: "time", now: func() time.Duration { return time.Since(start) }}
}
