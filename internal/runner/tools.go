package runner

import (
	"errors"
	"os"
	"os/exec"
	"strings"
)

// GoTools returns the path of the go command, after making sure there is a
// C compiler for it: building the lessons (and any program that opens
// SQLite) needs both. Its errors say what to install.
func GoTools() (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("the go command is not on your PATH: install Go from https://go.dev/dl/ (1.25 or newer)")
	}
	if err := haveCCompiler(); err != nil {
		return "", err
	}
	return goCmd, nil
}

// haveCCompiler reports a missing C compiler before go test does, in words:
// go-sqlite3 is cgo, and without one it builds a stub that fails at run time.
func haveCCompiler() error {
	if cc := os.Getenv("CC"); cc != "" {
		if _, err := exec.LookPath(strings.Fields(cc)[0]); err == nil {
			return nil
		}
	}
	for _, cc := range []string{"gcc", "cc", "clang"} {
		if _, err := exec.LookPath(cc); err == nil {
			return nil
		}
	}
	return errors.New("no C compiler found: the workbook uses github.com/mattn/go-sqlite3, which needs cgo.\n" +
		"Install one (Debian/Ubuntu: sudo apt install gcc; Fedora: sudo dnf install gcc; macOS: xcode-select --install)")
}
