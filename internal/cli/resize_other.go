//go:build !unix

package cli

import "os"

// notifyResize returns nil where no signal says that the terminal was
// resized: the next frame is drawn at the width the terminal has then.
func notifyResize() (<-chan os.Signal, func()) { return nil, func() {} }
