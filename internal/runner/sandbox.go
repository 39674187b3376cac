package runner

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Sandbox confines a program run from [Spec.Binary] with bubblewrap
// (bwrap): the program sees a file system of its own, in which only the
// paths named here exist besides read-only system folders (/usr, the
// links /bin, /lib and /lib64, the dynamic linker's few files of /etc), a
// minimal /dev and an empty /tmp: no /proc. The program's own file is
// made executable only (mode 0111, see [Spec.Binary]) and bound
// read-only, so that the program, which keeps no capability, can run it
// but not read it (it holds every classmate's code in a shared program).
// It has no network, no other process to see or signal, and every process
// it starts dies with it: when the program ends or is killed, the kernel
// kills what is left of the pid namespace.
//
// bubblewrap is chosen because Debian and Ubuntu package it, it needs no
// daemon and no set-up, and it is one process that execs the program, so
// the runner's limits (time, output, process group) hold as before.
//
// A nil *Sandbox runs the program as it is.
type Sandbox struct {
	// Bwrap is the path of the bwrap command ([FindSandbox]).
	Bwrap string
	// ReadOnly are files or folders bound read-only at their own path: the
	// test program, the manifest it reads.
	ReadOnly []string
	// Writable are folders bound writable at their own path: the run's
	// scratch folder (working folder, HOME, TMPDIR, results file,
	// private hand-off) and its copies of the data. [Spec.Dir] and
	// [Spec.ResultsFile] must be inside one of them.
	Writable []string
	// TmpSize bounds the program's empty /tmp, a memory-backed folder
	// that vanishes with the sandbox, in bytes; 0 means DefaultTmpSize.
	TmpSize int64
}

// DefaultTmpSize bounds a sandbox's /tmp: many times the largest data set's
// copies, far less than would take the machine's memory.
const DefaultTmpSize = 1 << 30

// DefaultMemory caps the address space of a program run from
// [Spec.Binary] (RLIMIT_AS), sandboxed or not: a Go test program with
// SQLite reserves a few hundred MB of address space and uses tens; this
// leaves room for every check and stops a learner's code that allocates
// without end long before it takes the machine's memory from the others.
const DefaultMemory = 4 << 30

var (
	bwrapOnce sync.Once
	bwrapPath string
	bwrapErr  error
)

// FindSandbox returns the bwrap command if it is installed and works on
// this machine (user namespaces allowed, or run as root), probed once by
// running `true` in a sandbox made as [Sandbox] makes one. The error says
// why not.
func FindSandbox() (string, error) {
	bwrapOnce.Do(func() {
		p, err := exec.LookPath("bwrap")
		if err != nil {
			bwrapErr = fmt.Errorf("bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt install bubblewrap)")
			return
		}
		// The very options a run is given, so that an older bwrap that
		// lacks one is found out here, not in every run.
		probe := &Sandbox{Bwrap: p}
		argv := probe.wrap("true", nil, "")
		out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			bwrapErr = fmt.Errorf("bubblewrap (%s) does not work here: %v %s(user namespaces may be disabled)", p, err, out)
			return
		}
		bwrapPath = p
	})
	return bwrapPath, bwrapErr
}

// wrap returns the command line that runs name with args in the sandbox,
// in dir, under a memory cap of memory bytes.
func (sb *Sandbox) wrap(name string, args []string, dir string) []string {
	a := []string{sb.Bwrap,
		"--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
		"--die-with-parent", "--new-session",
		"--ro-bind", "/usr", "/usr",
	}
	for _, top := range []string{"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"} {
		if target, err := os.Readlink(top); err == nil {
			a = append(a, "--symlink", target, top)
		} else {
			a = append(a, "--ro-bind-try", top, top)
		}
	}
	for _, f := range []string{"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd", "/etc/group"} {
		a = append(a, "--ro-bind-try", f, f)
	}
	size := sb.TmpSize
	if size <= 0 {
		size = DefaultTmpSize
	}
	// No /proc at all: a process's own /proc/self/mem, /proc/self/exe and
	// /proc/self/map_files would show it the whole program (the key, the
	// expected results, classmates' code), and neither a non-dumpable
	// process nor dropped capabilities hide them from root in the sandbox.
	// Neither a Go test program nor SQLite needs /proc.
	a = append(a, "--dev", "/dev", "--size", strconv.FormatInt(size, 10), "--tmpfs", "/tmp")
	for _, p := range sb.Writable {
		a = append(a, "--bind", p, p)
	}
	for _, p := range sb.ReadOnly {
		a = append(a, "--ro-bind", p, p)
	}
	if os.Geteuid() == 0 {
		// Root in the sandbox keeps no capability: it cannot mount, reach
		// files by handle, or undo the sandbox.
		a = append(a, "--cap-drop", "ALL")
	}
	if dir != "" {
		a = append(a, "--chdir", dir)
	}
	return append(append(a, "--", name), args...)
}

// limitMemory returns the command line that runs argv with its address
// space capped at memory bytes, through util-linux's prlimit, which
// execs it: the cap holds for every process it starts. Without prlimit,
// argv is returned as it is, and false.
func limitMemory(argv []string, memory int64) ([]string, bool) {
	p, err := exec.LookPath("prlimit")
	if err != nil {
		return argv, false
	}
	return append([]string{p, "--as=" + strconv.FormatInt(memory, 10), "--"}, argv...), true
}

// inside reports whether path is one of dirs or under one.
func inside(path string, dirs []string) bool {
	for _, d := range dirs {
		rel, err := filepath.Rel(d, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
