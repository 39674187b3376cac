//go:build !linux

package checker

// undumpable does nothing but on Linux, where it makes the process not
// dumpable (see dumpable_linux.go).
func undumpable() error { return nil }

// dumpable reports true but on Linux.
func dumpable() (bool, error) { return true, nil }
