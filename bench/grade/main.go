// Grade measures `workbook grade` against the naive way of grading a class
// (a separate go test per lesson per student), in one run on the same
// machine, and prints the time and peak memory of each and their ratio.
//
// It generates a class of submissions from the workbook it runs in: for
// each student and lesson, deterministically, the shipped exercise left as
// it is (byte for byte the same for everyone, as real unattempted work is),
// the reference solution, the shipped exercise edited (for lesson 7 that is
// the N+1 report: right result, over budget) or a file that does not
// compile. Every edited file differs from every other student's by a
// function of its own, so nothing is shared by accident.
//
// Run it from the workbook's root (it is not part of the test suite):
//
//	go run ./bench/grade
//	go run ./bench/grade -students 100 -naive-sample 20
//
// With -naive-sample n, the naive way grades only the first n students and
// its time is scaled to the whole class; the output says so.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"strconv"
	"strings"
	"sync"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

func main() {
	students := flag.Int("students", 100, "submissions in the generated class")
	sample := flag.Int("naive-sample", 0, "grade only this many students the naive way and scale its time (0: all)")
	workers := flag.Int("j", 0, "workers for workbook grade (0: one per CPU)")
	flag.Parse()
	if err := run(*students, *sample, *workers); err != nil {
		fmt.Fprintf(os.Stderr, "bench/grade: %v\n", err)
		os.Exit(1)
	}
}

// state is what a generated student did with a lesson.
type state int

const (
	unsolved state = iota // the shipped file, untouched
	solved                // the reference solution
	edited                // the shipped file, edited (lesson 7: the N+1 report)
	broken                // does not compile
)

var stateNames = []string{"shipped, untouched", "solved", "shipped, edited (N+1 in lesson 7)", "does not compile"}

// mix is the share of each state, in percent.
var mix = []int{30, 40, 18, 12}

func run(students, sample, workers int) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	lessons, err := lesson.LoadAll(root)
	if err != nil {
		return fmt.Errorf("run me from the workbook's root: %w", err)
	}
	tmp, err := os.MkdirTemp("", "workbook-bench-grade-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "workbook")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/workbook").CombinedOutput(); err != nil {
		return fmt.Errorf("building the workbook command: %v\n%s", err, out)
	}
	subs := filepath.Join(tmp, "subs")
	counts, err := generate(subs, lessons, students)
	if err != nil {
		return err
	}
	fmt.Printf("workbook grade benchmark, %s, %d CPUs\n\n", time.Now().Format("2006-01-02 15:04"), runtime.NumCPU())
	fmt.Printf("Class: %d generated submissions × %d lessons:\n", students, len(lessons))
	for s, n := range counts {
		fmt.Printf("  %-36s %4d\n", stateNames[s], n)
	}

	// Warm up: both ways then find SQLite compiled in the build cache.
	warm := filepath.Join(tmp, "warm")
	if _, err := generate(warm, lessons, 1); err != nil {
		return err
	}
	if out, err := exec.Command(bin, "grade", "-o", filepath.Join(tmp, "warm-out"), warm).CombinedOutput(); err != nil {
		return fmt.Errorf("warming up: %w\n%s", err, out)
	}

	// workbook grade, sandboxed (where bubblewrap works) and not.
	grade := func(out, sandbox string) (time.Duration, int64, error) {
		args := []string{"grade", "-sandbox=" + sandbox, "-o", filepath.Join(tmp, out)}
		if workers > 0 {
			args = append(args, "-j", strconv.Itoa(workers))
		}
		cmd := exec.Command(bin, append(args, subs)...)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		took, peak, err := measure(cmd)
		if err != nil {
			return 0, 0, fmt.Errorf("workbook grade -sandbox=%s: %v\n%s", sandbox, err, stderr.Bytes())
		}
		return took, peak, nil
	}
	sandboxed := exec.Command(bin, "grade", "-sandbox=required", "-o", filepath.Join(tmp, "warm-out"), warm).Run() == nil
	var boxTime time.Duration
	var boxPeak int64
	if sandboxed {
		if boxTime, boxPeak, err = grade("out-sandboxed", "required"); err != nil {
			return err
		}
	}
	gradeTime, gradePeak, err := grade("out", "off")
	if err != nil {
		return err
	}
	compareWith := "out" // the naive way's verdicts are compared with these
	if sandboxed {
		compareWith = "out-sandboxed"
	}

	// The naive way: one go test per lesson per student, one after another.
	n := students
	if sample > 0 && sample < students {
		n = sample
	}
	var naiveTime time.Duration
	naivePeak := int64(0)
	agree, compared := 0, 0
	var disagreements []string
	for i := range n {
		name := studentName(i)
		for _, l := range lessons {
			took, peak, verdicts, err := naive(root, tmp, filepath.Join(subs, name), l)
			if err != nil {
				return err
			}
			naiveTime += took
			naivePeak = max(naivePeak, peak)
			got, err := gradedStatuses(filepath.Join(tmp, compareWith, "students", name, "classroom.json"), l)
			if err != nil {
				return err
			}
			for _, c := range l.Checks {
				compared++
				want := verdicts[c.Name]
				if want == "" {
					want = protocol.StatusFail // no verdict: did not build, or crashed
				}
				if got[c.Name] == want {
					agree++
				} else {
					disagreements = append(disagreements, fmt.Sprintf("%s %s/%s: grade %s, go test %s", name, l.ID(), c.Name, got[c.Name], want))
				}
			}
		}
	}
	scaled := naiveTime
	if n < students {
		scaled = time.Duration(float64(naiveTime) * float64(students) / float64(n))
	}

	fmt.Printf("\nGrading the class (%d submissions):\n", students)
	if sandboxed {
		fmt.Printf("  workbook grade, sandboxed (bwrap)     %9s   peak memory %s\n", boxTime.Round(100*time.Millisecond), mib(boxPeak))
	} else {
		fmt.Printf("  workbook grade, sandboxed             not measured: bubblewrap is not installed or does not work here\n")
	}
	fmt.Printf("  workbook grade, -sandbox=off          %9s   peak memory %s\n", gradeTime.Round(100*time.Millisecond), mib(gradePeak))
	if n < students {
		fmt.Printf("  naive: go test per lesson per student %9s   measured on %d students (%s), scaled ×%.1f; peak memory %s\n",
			scaled.Round(100*time.Millisecond), n, naiveTime.Round(100*time.Millisecond), float64(students)/float64(n), mib(naivePeak))
	} else {
		fmt.Printf("  naive: go test per lesson per student %9s   peak memory %s\n", scaled.Round(100*time.Millisecond), mib(naivePeak))
	}
	if sandboxed {
		fmt.Printf("  speed-up naive / sandboxed grade      %8.1f×   (target ≥ 8×)\n", float64(scaled)/float64(boxTime))
		fmt.Printf("  cost of the sandbox                   %8.2f×   (sandboxed / unsandboxed)\n", float64(boxTime)/float64(gradeTime))
		a, _ := os.ReadFile(filepath.Join(tmp, "out", "class.csv"))
		b, _ := os.ReadFile(filepath.Join(tmp, "out-sandboxed", "class.csv"))
		fmt.Printf("  class.csv sandboxed and unsandboxed   %9s\n", map[bool]string{true: "identical", false: "DIFFER"}[len(a) > 0 && bytes.Equal(a, b)])
	}
	fmt.Printf("  speed-up naive / unsandboxed grade    %8.1f×\n", float64(scaled)/float64(gradeTime))
	fmt.Printf("  peak memory of workbook grade         %9s   (target < 4 GiB)\n", mib(max(gradePeak, boxPeak)))
	fmt.Printf("  check verdicts that agree             %6d of %d (the naive way's pass/fail against grade's, on the students both graded)\n", agree, compared)
	for i, d := range disagreements {
		if i == 10 {
			fmt.Printf("    … and %d more\n", len(disagreements)-i)
			break
		}
		fmt.Printf("    %s\n", d)
	}
	return nil
}

func studentName(i int) string { return fmt.Sprintf("s%03d", i+1) }

// generate writes a class of n submissions into dir and counts the lessons
// in each state.
func generate(dir string, lessons []*lesson.Lesson, n int) ([]int, error) {
	rng := rand.New(rand.NewSource(1))
	counts := make([]int, len(mix))
	for i := range n {
		name := studentName(i)
		for _, l := range lessons {
			s := pick(rng)
			counts[s]++
			for _, f := range l.Files {
				shipped, err := os.ReadFile(l.LearnerPath(f))
				if err != nil {
					return nil, err
				}
				var content []byte
				own := fmt.Sprintf("\n// note%s is this student's own.\nfunc note%s() string { return %q }\n", name, name, name)
				switch s {
				case unsolved:
					content = shipped
				case solved:
					sol, err := os.ReadFile(l.SolutionPath(f))
					if err != nil {
						return nil, err
					}
					content = append(sol, own...)
				case edited:
					content = append(shipped, own...)
				case broken:
					content = append(shipped, own+"\nfunc unfinished() { notDeclaredYet() }\n"...)
				}
				p := filepath.Join(dir, name, l.RelPath(f))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return nil, err
				}
				if err := os.WriteFile(p, content, 0o644); err != nil {
					return nil, err
				}
			}
		}
	}
	return counts, nil
}

func pick(rng *rand.Rand) state {
	r := rng.Intn(100)
	for s, share := range mix {
		if r < share {
			return state(s)
		}
		r -= share
	}
	return unsolved
}

// naive grades one lesson of one student with go test and the student's
// files put in place by -overlay, and returns each check's status.
func naive(root, tmp, sub string, l *lesson.Lesson) (time.Duration, int64, map[string]protocol.Status, error) {
	ov := map[string]string{}
	for _, f := range l.Files {
		ov[l.LearnerPath(f)] = filepath.Join(sub, l.RelPath(f))
	}
	data, _ := json.Marshal(map[string]any{"Replace": ov})
	ovFile := filepath.Join(tmp, "overlay.json")
	resultsFile := filepath.Join(tmp, "naive-results.jsonl")
	os.Remove(resultsFile)
	if err := os.WriteFile(ovFile, data, 0o644); err != nil {
		return 0, 0, nil, err
	}
	cmd := exec.Command("go", "test", "-count=1", "-overlay="+ovFile, "./lessons/"+l.ID())
	cmd.Dir = root
	cmd.Env = append(protocol.Strip(os.Environ()), protocol.Env{Results: resultsFile}.Environ()...)
	took, peak, err := measure(cmd)
	if _, ok := err.(*exec.ExitError); ok {
		err = nil // failing checks and compile errors are what grading is for
	}
	if err != nil {
		return 0, 0, nil, err
	}
	recs, err := protocol.Read(resultsFile)
	if err != nil {
		return 0, 0, nil, err
	}
	statuses := map[string]protocol.Status{}
	for _, r := range recs {
		if r.Event == protocol.EventVerdict && r.Verdict != nil {
			s := protocol.StatusFail
			if r.Verdict.Passed() {
				s = protocol.StatusPass
			}
			statuses[r.Check] = s
		}
	}
	return took, peak, statuses, nil
}

// gradedStatuses reads pass or fail for each check of l from the GitHub
// Classroom file workbook grade wrote for a student.
func gradedStatuses(path string, l *lesson.Lesson) (map[string]protocol.Status, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out struct {
		Tests []struct{ Name, Status string }
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	statuses := map[string]protocol.Status{}
	prefix := fmt.Sprintf("Lesson %d: ", l.Number)
	for _, t := range out.Tests {
		if name, ok := strings.CutPrefix(t.Name, prefix); ok {
			// Classroom's "pass" is spelled as the workbook's.
			s := protocol.StatusFail
			if t.Status == string(protocol.StatusPass) {
				s = protocol.StatusPass
			}
			statuses[name] = s
		}
	}
	return statuses, nil
}

// measure runs cmd and returns how long it took and the peak of the memory
// (resident set) of it and every process under it, sampled every 20ms.
func measure(cmd *exec.Cmd) (time.Duration, int64, error) {
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	var peak int64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			rss := treeRSS(cmd.Process.Pid)
			mu.Lock()
			peak = max(peak, rss)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	took := time.Since(began)
	close(stop)
	<-done
	return took, peak, err
}

// treeRSS returns the resident memory of pid and its descendants, in
// bytes, from /proc.
func treeRSS(pid int) int64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	children := map[int][]int{}
	rss := map[int]int64{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: state ppid ...
		// rss is field 24 (the 22nd after it).
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 22 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pages, _ := strconv.ParseInt(f[21], 10, 64)
		children[ppid] = append(children[ppid], p)
		rss[p] = pages * int64(os.Getpagesize())
	}
	total := int64(0)
	queue := []int{pid}
	seen := map[int]bool{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		total += rss[p]
		queue = append(queue, children[p]...)
	}
	return total
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }
