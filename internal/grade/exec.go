package grade

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// runSpec is one run of a program for one lesson.
type runSpec struct {
	lesson   *lesson.Lesson // the instructor's
	prog     *program
	member   string // the member of a shared program to run
	lessonIn string // the lesson's folder in the build tree
	source   string // the folder its code was compiled from, when not lessonIn
	checks   string // the folder its external checks were compiled from, when not source
	limit    time.Duration
	check    time.Duration // each check's own limit per data set; 0 keeps the checks'
	scratch  string        // a folder for the run: its working folder, HOME, TMPDIR, private hand-off
	expected map[string][]byte
	data     map[string][]byte
	sources  map[string][]byte  // the learner's files, by their names in the lesson
	signer   ed25519.PrivateKey // signs the hand-over, for the program built with its public half
	failFast bool               // stop at the first failing check
	// update and updateData: see protocol.Grading.Update ("" for none).
	update     string
	updateData []string
	bwrap      string // the sandbox's command; "" runs the program unconfined
	copiesIn   string // where an unconfined run puts the checks' copies of the data: the grading's own folder
}

// run runs one lesson's checks in a program, through the execution core:
// in a process group of its own (and, with bwrap set, a sandbox that shows
// it only this run's folders), with its own working folder, HOME and
// TMPDIR, its memory capped, killed with everything it started when it is
// over its time limit or when it ends. The records count only when signed with the run's key.
func run(ctx context.Context, s runSpec) (*runner.Outcome, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	work, home, tmp := filepath.Join(s.scratch, "work"), filepath.Join(s.scratch, "home"), filepath.Join(s.scratch, "tmp")
	for _, d := range []string{work, home, tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	resultsFile := filepath.Join(s.scratch, "results-"+hex.EncodeToString(key[:6])+".jsonl")
	// The checks' copies of the data go in memory where there is some:
	// in the sandbox, its own /tmp, which vanishes with it even if the
	// grader is killed; else a folder of the grading's (in /dev/shm where
	// it can be written), removed whatever becomes of the program, and by
	// the next grading if this one is killed.
	copies := tmp
	if s.bwrap != "" {
		copies = "/tmp"
	} else if s.copiesIn != "" {
		d, err := os.MkdirTemp(s.copiesIn, "copies-")
		if err != nil {
			return nil, fmt.Errorf("making the run's folder for the checks' copies of the data: %w", err)
		}
		copies = d
		defer os.RemoveAll(d)
	}
	g := protocol.Grading{Key: hex.EncodeToString(key), Results: resultsFile, Lesson: s.lessonIn, Source: s.source, Checks: s.checks, Scratch: copies}
	if s.update != "" {
		g.Update, g.UpdateData = s.update, s.updateData
	}
	if s.check > 0 {
		g.Timeout = s.check.String()
	}
	if len(s.sources) > 0 {
		g.Sources = map[string]string{}
		for name, b := range s.sources {
			g.Sources[name] = string(b)
		}
	}
	gradingFile, err := protocol.WritePrivate(s.scratch, g, s.expected, s.data, s.signer)
	if err != nil {
		return nil, fmt.Errorf("handing the run its data: %w", err)
	}
	defer os.RemoveAll(filepath.Dir(gradingFile)) // in case the program never read it

	var sb *runner.Sandbox
	if s.bwrap != "" {
		// In the sandbox, HOME and TMPDIR are its own /tmp, in memory and
		// capped, not the run's folder on this machine's disk, which has
		// no limit.
		home, tmp = "/tmp", "/tmp"
		// The program sees its own binary, the manifest the checker reads
		// and this run's folders: not the instructor's copy, the build
		// tree, other runs' folders, the real HOME or /tmp.
		sb = &runner.Sandbox{Bwrap: s.bwrap,
			ReadOnly: []string{s.prog.path, filepath.Join(s.lessonIn, lesson.ManifestName)},
			Writable: []string{s.scratch}}
	}
	var args []string
	if s.prog.units != nil {
		args = append(args, s.member)
	}
	args = append(args, "-test.count=1", fmt.Sprintf("-test.timeout=%s", s.limit+10*time.Second))
	if s.failFast {
		args = append(args, "-test.failfast")
	}
	return runner.Run(ctx, runner.Spec{
		Lesson:      s.lesson,
		Binary:      s.prog.path,
		Args:        args,
		Dir:         work,
		Sandbox:     sb,
		Environ:     append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + tmp, "NO_COLOR=1", "LANG=C.UTF-8"}, oneThread...),
		Protocol:    protocol.Env{Grading: gradingFile},
		ResultsFile: resultsFile,
		Key:         key,
		Limit:       s.limit,
		MaxOutput:   maxOutput,
		TempDir:     s.scratch,
	})
}

// oneThread runs a graded program's Go code on one thread at a time, never
// preempted between two instructions of one goroutine (only where it calls
// a function, or blocks). Go without unsafe is memory-safe only without data
// races: two goroutines that race on an interface or a slice, running in
// parallel or switched in the middle of a write, can make one read the
// value half old and half new, and so read any address of the program, the
// signing key and the expected results among them. Here no write of a
// value can be seen half done. The learner's code cannot undo it: the
// runtime package, whose GOMAXPROCS would, is refused (deniedImports), and
// the environment is read once, at start. The cost: a loop that calls no
// function and never blocks holds the only thread, so the checker's own
// per-check timer cannot fire, and the run's time limit stops it instead.
var oneThread = []string{"GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1"}

// maxOutput bounds what one lesson's program may print while graded: not
// at all, since what it prints counts for nothing and its time limit
// bounds it; only the end is kept, for a crash report.
const maxOutput = -1
