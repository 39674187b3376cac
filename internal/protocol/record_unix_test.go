//go:build unix

package protocol

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesWhatIsNotAResultsFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	folder := filepath.Join(dir, "folder")
	os.Mkdir(folder, 0o700)
	huge := filepath.Join(dir, "huge")
	f, _ := os.Create(huge)
	f.Truncate(MaxResults + 1) // sparse: no disk used
	f.Close()
	link := filepath.Join(dir, "link")
	os.Symlink(huge, link)
	tests := []struct{ name, path, want string }{
		{"a FIFO would block", fifo, "named pipe"},
		{"a folder", folder, "folder"},
		{"past the limit", huge, "larger than"},
		{"a link", link, "symbolic link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 2)
			go func() {
				_, err := Read(tt.path)
				done <- err
				_, err = ReadSigned(tt.path, []byte("key"))
				done <- err
			}()
			for range 2 {
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), tt.want) {
						t.Errorf("error = %v, want one that says %q", err, tt.want)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("reading waited")
				}
			}
		})
	}
}
