//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// notifyResize returns a channel that receives a value each time the
// terminal is resized (SIGWINCH), and the function that stops it.
func notifyResize() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGWINCH)
	return ch, func() { signal.Stop(ch) }
}
