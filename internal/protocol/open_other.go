//go:build !unix

package protocol

// openNoWait adds nothing where the system has no such flags; the Lstat
// before the open still refuses what is not a regular file.
const openNoWait = 0
