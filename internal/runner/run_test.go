package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// childMode names what this test program does when Run starts it as a
// checks program (see TestChildProgram).
const childMode = "RUNNER_TEST_CHILD"

// TestChildProgram is not a test: it is the checks program of the tests
// below, which run this test binary with childMode set.
func TestChildProgram(t *testing.T) {
	mode := os.Getenv(childMode)
	if mode == "" {
		t.Skip("run by the tests below as a checks program")
	}
	env, err := protocol.ParseEnv(os.Environ())
	if err != nil || env.Results == "" {
		fmt.Println("no results file:", err)
		os.Exit(9)
	}
	record := func(r protocol.Record) {
		if key := os.Getenv("RUNNER_TEST_KEY"); key != "" {
			protocol.AppendSigned(env.Results, []byte(key), r)
			return
		}
		protocol.Append(env.Results, r)
	}
	pass := func(name string) {
		record(protocol.Record{Event: protocol.EventStart, Check: name})
		record(protocol.Record{Event: protocol.EventVerdict, Check: name, Verdict: &protocol.Verdict{Check: name, Status: protocol.StatusPass}})
	}
	switch mode {
	case "crash":
		pass("a")
		record(protocol.Record{Event: protocol.EventStart, Check: "b"})
		fmt.Println("panic: boom")
		// A copy the checks would have removed, had they lived.
		if env.Scratch == "" || os.WriteFile(env.Scratch+"/copy.db", []byte("x"), 0o600) != nil {
			fmt.Println("no scratch folder to write to")
		} else {
			fmt.Println("scratch " + env.Scratch)
		}
		fmt.Println("goroutine 1 [running]:")
		os.Exit(2)
	case "hang":
		pass("a")
		record(protocol.Record{Event: protocol.EventStart, Check: "b"})
		// A process in a session of its own escapes the group kill and
		// holds the output open: the run must end all the same.
		escapee := exec.Command("sleep", "30")
		escapee.Stdout = os.Stdout
		escapee.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := escapee.Start(); err == nil {
			fmt.Printf("escapee %d\n", escapee.Process.Pid)
		}
		time.Sleep(time.Minute)
	case "flood":
		pass("a")
		for {
			fmt.Println(strings.Repeat("x", 1000))
		}
	case "fifo":
		pass("a")
		// The learner's code swaps the results file for something a
		// reader would wait on.
		os.Remove(env.Results)
		syscall.Mkfifo(env.Results, 0o600)
	case "confined":
		// Checks a to e pass only if the sandbox holds: a file outside
		// its binds is not there, the runner's process cannot be reached,
		// a process in a session of its own is left to outlive it, the
		// program's own file cannot be read, and there is no /proc to
		// read the program's memory through.
		verdict := func(name string, ok bool) {
			st := protocol.StatusPass
			if !ok {
				st = protocol.StatusFail
			}
			record(protocol.Record{Event: protocol.EventStart, Check: name})
			record(protocol.Record{Event: protocol.EventVerdict, Check: name, Verdict: &protocol.Verdict{Check: name, Status: st}})
		}
		_, err := os.ReadFile(os.Getenv("RUNNER_TEST_SECRET"))
		verdict("a", os.IsNotExist(err))
		parent, _ := strconv.Atoi(os.Getenv("RUNNER_TEST_PARENT"))
		verdict("b", parent > 0 && syscall.Kill(parent, 0) == syscall.ESRCH)
		escapee := exec.Command("sleep", "30.4321")
		escapee.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		verdict("c", escapee.Start() == nil)
		_, err = os.ReadFile(os.Args[0])
		verdict("d", os.IsPermission(err))
		_, err = os.Open("/proc/self/mem")
		_, exeErr := os.Readlink("/proc/self/exe")
		verdict("e", os.IsNotExist(err) && os.IsNotExist(exeErr))
	case "hog":
		pass("a")
		record(protocol.Record{Event: protocol.EventStart, Check: "b"})
		hog := make([]byte, 3<<30)
		for i := 0; i < len(hog); i += 4096 {
			hog[i] = 1
		}
		pass("b")
	case "forged":
		pass("a")
		pass("b")
		pass("c")
		// A line the checker did not sign.
		protocol.Append(env.Results, protocol.Record{Event: protocol.EventVerdict, Check: "c",
			Verdict: &protocol.Verdict{Check: "c", Status: protocol.StatusFail}})
	}
	os.Exit(0)
}

func TestRunAProgram(t *testing.T) {
	l := &lesson.Lesson{Number: 1, Name: "x", Checks: []lesson.Check{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	key := "0123456789abcdef0123456789abcdef"
	tests := []struct {
		mode    string
		key     []byte
		limit   time.Duration
		want    []protocol.Status
		stopped bool
		flooded bool
		crash   string // a line the excerpt holds
		forged  int
		unread  string // in the reason the results could not be read
	}{
		{mode: "crash", want: []protocol.Status{protocol.StatusPass, protocol.StatusCrashed, protocol.StatusNotRun}, crash: "panic: boom"},
		{mode: "hang", limit: time.Second, stopped: true,
			want: []protocol.Status{protocol.StatusPass, protocol.StatusStopped, protocol.StatusNotRun}, crash: "escapee"},
		{mode: "flood", flooded: true, want: []protocol.Status{protocol.StatusPass, protocol.StatusNotRun, protocol.StatusNotRun}},
		{mode: "forged", key: []byte(key), forged: 1, want: []protocol.Status{protocol.StatusPass, protocol.StatusPass, protocol.StatusPass}},
		{mode: "fifo", unread: "named pipe", want: []protocol.Status{protocol.StatusNotRun, protocol.StatusNotRun, protocol.StatusNotRun}},
		{mode: "fifo", key: []byte(key), unread: "named pipe", want: []protocol.Status{protocol.StatusNotRun, protocol.StatusNotRun, protocol.StatusNotRun}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			environ := []string{childMode + "=" + tt.mode, "PATH=" + os.Getenv("PATH")}
			if tt.key != nil {
				environ = append(environ, "RUNNER_TEST_KEY="+string(tt.key))
			}
			limit := tt.limit
			if limit == 0 {
				limit = 20 * time.Second
			}
			began := time.Now()
			working := 0
			o, err := Run(context.Background(), Spec{
				Lesson: l, Binary: os.Args[0], Args: []string{"-test.run=^TestChildProgram$"}, Dir: t.TempDir(),
				Environ: environ, Key: tt.key, Limit: limit, MaxOutput: 1 << 20,
				Working: func() { working++ }, WorkingAfter: 300 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(began)
			for _, line := range o.Crash {
				if pid, ok := strings.CutPrefix(line, "escapee "); ok {
					if n, err := strconv.Atoi(pid); err == nil {
						syscall.Kill(n, syscall.SIGKILL)
					}
				}
			}
			sawScratch := false
			for _, line := range o.Crash {
				if dir, ok := strings.CutPrefix(line, "scratch "); ok {
					sawScratch = true
					if _, err := os.Stat(dir); !os.IsNotExist(err) {
						t.Errorf("the run's scratch folder %s is still there after a crash: %v", dir, err)
					}
				}
				if strings.Contains(line, "no scratch folder") {
					t.Error("the program was given no scratch folder of its own")
				}
			}
			if tt.mode == "crash" && !sawScratch {
				t.Errorf("the crash did not name its scratch folder: %q", o.Crash)
			}
			var got []protocol.Status
			for _, c := range o.Checks {
				got = append(got, c.Status)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("statuses = %v, want %v", got, tt.want)
			}
			if o.Stopped != tt.stopped || o.Flooded != tt.flooded {
				t.Errorf("stopped %v, flooded %v; want %v, %v", o.Stopped, o.Flooded, tt.stopped, tt.flooded)
			}
			if tt.crash != "" && !strings.Contains(strings.Join(o.Crash, "\n"), tt.crash) {
				t.Errorf("the excerpt lacks %q: %q", tt.crash, o.Crash)
			}
			if (tt.unread == "") != (o.Unreadable == "") || !strings.Contains(o.Unreadable, tt.unread) {
				t.Errorf("unreadable = %q, want %q", o.Unreadable, tt.unread)
			}
			// A program that runs on past WorkingAfter is said to be working,
			// once; one that ends at once is not.
			if wantWorking := map[bool]int{true: 1, false: 0}[tt.mode == "hang"]; working != wantWorking {
				t.Errorf("Working was called %d times, want %d", working, wantWorking)
			}
			if o.Forged.Rejected != tt.forged {
				t.Errorf("rejected %d lines, want %d", o.Forged.Rejected, tt.forged)
			}
			// A process that escapes the group holds the output open:
			// the run ends within the limit and the wait for its output.
			if max := limit + waitDelay + 3*time.Second; took > max {
				t.Errorf("the run took %s, more than %s", took, max)
			}
		})
	}
}

// TestRunSandboxed runs a program in the sandbox that looks for a file
// outside it and for other processes, and leaves a process in a session of
// its own behind: it finds neither, and the process dies with the sandbox.
func TestRunSandboxed(t *testing.T) {
	bwrap, err := FindSandbox()
	if err != nil {
		t.Skip(err)
	}
	secret := filepath.Join(t.TempDir(), "expected.json")
	if err := os.WriteFile(secret, []byte("[]"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// A copy of this program, which Run makes executable only.
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(t.TempDir(), "runner.test")
	if err := os.WriteFile(prog, data, 0o755); err != nil {
		t.Fatal(err)
	}
	l := &lesson.Lesson{Number: 1, Name: "x", Checks: []lesson.Check{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: "e"}}}
	o, err := Run(context.Background(), Spec{
		Lesson: l, Binary: prog, Args: []string{"-test.run=^TestChildProgram$"}, Dir: dir,
		Environ: []string{childMode + "=confined", "PATH=" + os.Getenv("PATH"), "RUNNER_TEST_SECRET=" + secret,
			"RUNNER_TEST_PARENT=" + strconv.Itoa(os.Getpid())},
		Sandbox: &Sandbox{Bwrap: bwrap, ReadOnly: []string{prog}, Writable: []string{dir}},
		Limit:   20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range o.Checks {
		if c.Status != protocol.StatusPass {
			t.Errorf("check %s: %s (%s)", c.Check.Name, c.Status, []string{"a file outside the sandbox was readable",
				"the program reached the runner's process", "the program could not start a process",
				"the program read its own file", "the program found /proc"}[i])
		}
	}
	if st, err := os.Stat(prog); err != nil || st.Mode().Perm() != 0o111 {
		t.Errorf("the program's mode after the run: %v, %v; want 0111", st.Mode(), err)
	}
	if len(o.Checks) != 5 {
		t.Fatalf("checks %+v; crash %q", o.Checks, o.Crash)
	}
	time.Sleep(200 * time.Millisecond)
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if b, _ := os.ReadFile(p); strings.Contains(string(b), "30.4321") {
			t.Errorf("a process the sandboxed program started outlived it: %s", p)
		}
	}
}

// TestRunMemoryCap: a program that allocates past its cap crashes, and the
// checks it passed before count.
func TestRunMemoryCap(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("no prlimit: memory is not capped")
	}
	l := &lesson.Lesson{Number: 1, Name: "x", Checks: []lesson.Check{{Name: "a"}, {Name: "b"}}}
	o, err := Run(context.Background(), Spec{
		Lesson: l, Binary: os.Args[0], Args: []string{"-test.run=^TestChildProgram$"}, Dir: t.TempDir(),
		Environ: []string{childMode + "=hog", "PATH=" + os.Getenv("PATH")},
		Memory:  1 << 30, Limit: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(o.Checks[0].Status, o.Checks[1].Status); got != fmt.Sprint(protocol.StatusPass, protocol.StatusCrashed) {
		t.Errorf("statuses %s, want pass crashed (output %q)", got, o.Crash)
	}
}
