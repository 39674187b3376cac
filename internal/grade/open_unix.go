//go:build unix

package grade

import "syscall"

// openNoWait opens a file without waiting on it (a FIFO) and without
// following a link at its last element.
const openNoWait = syscall.O_NONBLOCK | syscall.O_NOFOLLOW
