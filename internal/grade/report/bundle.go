package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"workbook/internal/lesson"
)

// BundleDir is the folder, in the reports' folder, of the Gradescope
// autograder bundle.
const BundleDir = "gradescope-autograder"

// setupScript installs what grading needs on Gradescope's image, once, when
// the autograder is built; it compiles SQLite and the checks then, so that
// each submission takes seconds. %[1]s is the Go version.
const setupScript = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# It installs Go, a C compiler and bubblewrap (the grading sandbox, used
# where the container allows it), builds the workbook command, and grades
# the shipped exercise once so that SQLite and the checks are compiled (and
# cached) before any student submits.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl gcc libc6-dev bubblewrap >/dev/null
curl -fsSL "https://go.dev/dl/%[1]s.linux-amd64.tar.gz" | tar -C /usr/local -xz
export PATH=/usr/local/go/bin:$PATH
cd /autograder/source/workbook
go mod download
go build -o /usr/local/bin/workbook ./cmd/workbook
mkdir -p /tmp/warm-up/submission
cp -r lessons /tmp/warm-up/submission/
workbook grade -o /tmp/warm-up/out /tmp/warm-up/submission
rm -rf /tmp/warm-up
`

// runScript grades the one submission Gradescope hands over, with the
// instructor's copy in the bundle, and leaves results.json where Gradescope
// reads it.
const runScript = `#!/usr/bin/env bash
# Gradescope runs this for each submission, in a fresh container: the
# submission is in /autograder/submission, results go to
# /autograder/results/results.json.
set -uo pipefail
export PATH=/usr/local/go/bin:$PATH
cd /autograder/source/workbook
workbook grade -o /autograder/results /autograder/submission
`

// inBundle are the entries of the workbook the bundle carries.
var inBundle = []string{"go.mod", "go.sum", "grading.json", "checker", "internal", "cmd", lesson.LessonsDir, "data", lesson.SolutionsDir}

// Bundle writes Gradescope's autograder bundle for the workbook into dir:
// setup.sh, run_autograder, and autograder.zip holding both with the
// workbook (the instructor's copy) in workbook/. goVersion names the Go
// release to install ("go1.25.4"). It returns the zip's path.
func Bundle(dir, workbook, goVersion string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	setup := fmt.Sprintf(setupScript, goVersion)
	for name, text := range map[string]string{"setup.sh": setup, "run_autograder": runScript} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			return "", err
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte, mode fs.FileMode) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	if err := add("setup.sh", []byte(setup), 0o755); err != nil {
		return "", err
	}
	if err := add("run_autograder", []byte(runScript), 0o755); err != nil {
		return "", err
	}
	absDir, _ := filepath.Abs(dir)
	for _, top := range inBundle {
		start := filepath.Join(workbook, top)
		if _, err := os.Stat(start); err != nil {
			continue
		}
		err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || p == absDir {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(workbook, p)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return add("workbook/"+filepath.ToSlash(rel), data, 0o644)
		})
		if err != nil {
			return "", fmt.Errorf("bundling the workbook: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "autograder.zip")
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}
