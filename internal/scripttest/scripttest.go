// Package scripttest runs the workbook's testscripts: each script starts in
// a fresh copy of the workbook, with the learner's files as shipped, and
// runs the workbook command as a learner types it. The command's tests
// (cmd/workbook and cmd/workbook/grading) share it, so that their scripts
// can run as separate packages, each well inside go test's time limit.
package scripttest

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"workbook/internal/cli"
	"workbook/internal/lesson"
)

// Main runs the test binary m as the workbook command when a script runs
// "workbook", and as the tests otherwise. Call it from TestMain.
func Main(m *testing.M) {
	testscript.Main(m, map[string]func(){"workbook": func() {
		os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
	}})
}

// Run runs the scripts dir/*.txtar of the workbook at root. Each script
// starts in a fresh copy of the workbook ($WORK), with the files of its
// archive on top, and runs the workbook command as a learner types it. The
// go commands it starts share this machine's build and module caches, so
// only the workbook's own packages are compiled again, and never reach the
// network.
func Run(t *testing.T, root, dir string) {
	if testing.Short() {
		t.Skip("the scripts build and run lessons; skipped in -short mode")
	}
	root, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT"} {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		goEnv[name] = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			if err := copyWorkbook(root, env.WorkDir); err != nil {
				return err
			}
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			env.Setenv("HOME", home)
			for name, v := range goEnv {
				env.Setenv(name, v)
			}
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOFLAGS", "-mod=readonly")
			env.Setenv("CGO_ENABLED", "1")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		// [root]: the script runs as root, who passes the kernel's checks
		// of file modes and of reading another process's memory.
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"datasum":     cmdDatasum,
			"keeplessons": cmdKeeplessons,
			"cmpglob":     cmdCmpglob,
			"treesum":     cmdTreesum,
			"zip":         cmdArchive,
			"tgz":         cmdArchive,
			"mkfifo":      cmdMkfifo,
		},
	})
}

// copyWorkbook copies the workbook at root into dir, leaving alone the files
// the script's archive already put there, and leaving out git's files, the
// learner's progress and the test data of the workbook's own tests.
//
// Each learner's file (a file a lesson.json names) is copied from
// _shipped/, not from the lessons' folders: the scripts start from the
// workbook as shipped whatever the learner has written, and a script that
// wants a solution copies it from solutions/ itself. The learner's files at
// root are only ever read, never written.
func copyWorkbook(root, dir string) error {
	lessons, err := lesson.LoadAll(root)
	if err != nil {
		return err
	}
	shipped := map[string]string{} // a learner's file, relative to root → its shipped copy
	for _, l := range lessons {
		for _, f := range l.Files {
			shipped[l.RelPath(f)] = l.ShippedPath(f)
		}
	}
	copyFile := func(src, dst string) error {
		if _, err := os.Stat(dst); err == nil {
			return nil // the script's archive put its own there
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".workbook", "testdata":
				// The workbook's own test data is not needed to run lessons.
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if _, ok := shipped[rel]; ok {
			return nil // copied from _shipped/ below
		}
		return copyFile(path, filepath.Join(dir, rel))
	})
	if err != nil {
		return err
	}
	// Even a learner's file the learner deleted is there, as shipped.
	for rel, src := range shipped {
		if err := copyFile(src, filepath.Join(dir, rel)); err != nil {
			return fmt.Errorf("copying the shipped %s: %w", rel, err)
		}
	}
	return nil
}

// cmdDatasum prints a SHA-256 digest of every seeded database under data/, to
// compare before and after a run: the checks must never write to them.
func cmdDatasum(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: datasum")
	}
	files, err := filepath.Glob(ts.MkAbs("data/*.db"))
	ts.Check(err)
	sort.Strings(files)
	if len(files) == 0 {
		ts.Fatalf("no data/*.db")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		ts.Check(err)
		fmt.Fprintf(ts.Stdout(), "%x  %s\n", sha256.Sum256(data), filepath.Base(f))
	}
}

// cmdKeeplessons removes every lesson but those whose numbers it is given,
// so that a script about the order of the lessons (which is the last, what
// list shows) reads the same whichever lessons the workbook has.
func cmdKeeplessons(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: keeplessons number...")
	}
	keep := map[string]bool{}
	for _, a := range args {
		keep[fmt.Sprintf("%02s", a)] = true
	}
	dirs, err := filepath.Glob(ts.MkAbs("lessons/[0-9][0-9]-*"))
	ts.Check(err)
	kept := 0
	for _, d := range dirs {
		if keep[filepath.Base(d)[:2]] {
			kept++
			continue
		}
		ts.Check(os.RemoveAll(d))
	}
	if kept != len(keep) {
		ts.Fatalf("keeplessons: only %d of the lessons %v exist", kept, args)
	}
}

// cmdCmpglob compares the one file that a glob pattern matches with another
// file, for files whose names hold a time (a backup's folder).
func cmdCmpglob(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpglob pattern file")
	}
	matches, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(matches) != 1 {
		ts.Fatalf("cmpglob: %s matches %d files, want 1", args[0], len(matches))
	}
	got, err := os.ReadFile(matches[0])
	ts.Check(err)
	want, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	if same := string(got) == string(want); same == neg {
		ts.Fatalf("cmpglob: %s and %s: same is %v", matches[0], args[1], same)
	}
}

// cmdTreesum prints a SHA-256 digest of every file under the paths it is
// given, to prove that grading left the instructor's copy byte for byte as
// it was.
func cmdTreesum(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: treesum path...")
	}
	for _, a := range args {
		root := ts.MkAbs(a)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(ts.MkAbs("."), p)
			fmt.Fprintf(ts.Stdout(), "%x  %s\n", sha256.Sum256(data), filepath.ToSlash(rel))
			return nil
		})
		ts.Check(err)
	}
}

// cmdMkfifo makes a named pipe, an odd file a submission may hold where a
// learner's file should be.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo path")
	}
	ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(args[0])), 0o755))
	ts.Check(syscall.Mkfifo(ts.MkAbs(args[0]), 0o644))
}

// cmdArchive packs a folder as a student hands it in: "zip dst.zip dir" or
// "tgz dst.tar.gz dir", with the folder's own name as the archive's top
// folder when the -wrap flag comes first.
func cmdArchive(ts *testscript.TestScript, neg bool, args []string) {
	wrap := len(args) > 0 && args[0] == "-wrap"
	if wrap {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: zip|tgz [-wrap] archive dir")
	}
	dir := ts.MkAbs(args[1])
	out, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	defer out.Close()
	var add func(name string, data []byte) error
	var finish func() error
	if strings.HasSuffix(args[0], ".zip") {
		zw := zip.NewWriter(out)
		add = func(name string, data []byte) error {
			w, err := zw.Create(name)
			if err == nil {
				_, err = w.Write(data)
			}
			return err
		}
		finish = zw.Close
	} else {
		gz := gzip.NewWriter(out)
		tw := tar.NewWriter(gz)
		add = func(name string, data []byte) error {
			if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
				return err
			}
			_, err := tw.Write(data)
			return err
		}
		finish = func() error {
			if err := tw.Close(); err != nil {
				return err
			}
			return gz.Close()
		}
	}
	ts.Check(filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if wrap {
			rel = filepath.Join(filepath.Base(dir), rel)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return add(filepath.ToSlash(rel), data)
	}))
	ts.Check(finish())
}
