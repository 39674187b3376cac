package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/progress"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// fakeRuns stands in for running a lesson's checks: each lesson passes or
// not as pass says, or a run waits for its context when hang is set.
type fakeRuns struct {
	mu   sync.Mutex
	pass map[int]bool
	hang bool
	ran  []int // the lessons run, in order
	stop []int // the lessons whose run was stopped
}

func (f *fakeRuns) run(ctx context.Context, l *lesson.Lesson, was map[string]standing, opt runOptions) (*lessonRun, error) {
	f.mu.Lock()
	f.ran = append(f.ran, l.Number)
	hang, pass := f.hang, f.pass[l.Number]
	f.mu.Unlock()
	if hang {
		<-ctx.Done()
		f.mu.Lock()
		f.stop = append(f.stop, l.Number)
		f.mu.Unlock()
		return nil, ctx.Err()
	}
	status := protocol.StatusFail
	if pass {
		status = protocol.StatusPass
	}
	out := &runner.Outcome{Lesson: l, Checks: []runner.CheckOutcome{{
		Check:   lesson.Check{Name: "a-check"},
		Status:  status,
		Verdict: &protocol.Verdict{Status: status, Failures: []protocol.Failure{{Kind: protocol.KindResult, Summary: "wrong", Message: "wrong"}}},
	}}}
	if pass {
		out.Checks[0].Verdict.Failures = nil
	}
	return &lessonRun{out: out}, nil
}

// newSession returns a watch session on a workbook of lessons 1 and 2 in a
// temporary folder, fed keys, in line mode or as on a terminal.
func newSession(t *testing.T, runs *fakeRuns, keys []string, lineMode bool) (*session, *strings.Builder) {
	t.Helper()
	return newSessionOf(t, runs, keys, lineMode, "one", "two")
}

// newSessionOf is newSession on a workbook of the lessons names, numbered
// from 1.
func newSessionOf(t *testing.T, runs *fakeRuns, keys []string, lineMode bool, names ...string) (*session, *strings.Builder) {
	t.Helper()
	root := t.TempDir()
	var ls []*lesson.Lesson
	for i, name := range names {
		l := &lesson.Lesson{Number: i + 1, Name: name, Title: "Lesson " + name, Files: []string{"a.go"},
			Hints: []lesson.Hint{{Text: "First hint."}, {Text: "Second hint."}}}
		l.Dir = filepath.Join(root, "lessons", l.ID())
		ls = append(ls, l)
	}
	out := new(strings.Builder)
	e := &env{stdout: out, stderr: out, root: root, shell: shell{cwd: root, self: "workbook"}, lessons: ls}
	st, err := progress.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, k := range keys {
			ch <- k
		}
	}()
	v := e.view()
	v.watching = true
	s := &session{e: e, v: v, st: st, l: ls[0], keys: ch, lineMode: lineMode, manual: true, out: out, width: func() int { return 0 }}
	s.runChecks = runs.run
	return s, out
}

func TestSessionKeys(t *testing.T) {
	tests := []struct {
		name     string
		pass     map[int]bool
		keys     []string
		wantRuns []int
		want     []string // in this order
		absent   []string
	}{
		{
			name:     "the result, the progress bar and the file, then quit at the end of the input",
			keys:     nil,
			wantRuns: []int{1},
			want: []string{
				"Running lesson 1's checks…", "0 of 1 checks pass.",
				"[------------------------------] 0 of 2 lessons passed",
				"Lesson 1, Lesson one: edit lessons/01-one/a.go",
				"Save your file, then type r and Enter to run the checks again.",
				"Keys (then Enter): h hint, l list, r run again, x reset, q quit",
				"Stopped watching. Carry on with: workbook",
			},
			absent: []string{"n next"},
		},
		{
			name:     "r and Enter run again; q quits before the rest",
			keys:     []string{"r", "", "q", "r"},
			wantRuns: []int{1, 1, 1},
		},
		{
			name:     "h shows the next hint, l the list",
			keys:     []string{"h", "h", "l"},
			wantRuns: []int{1},
			want: []string{
				"Hint 1 of 2 for lesson 1 (one):", "First hint.", "Still stuck? Press h again for the next one.",
				"Hint 2 of 2", "Lessons (0 of 2 passed)", ">  1  one",
			},
		},
		{
			name:     "n before a pass stays",
			keys:     []string{"n"},
			wantRuns: []int{1},
			want:     []string{"Lesson 1 has not passed yet: n moves on once it does."},
		},
		{
			name:     "n after a pass goes on to the next lesson",
			pass:     map[int]bool{1: true},
			keys:     []string{"n"},
			wantRuns: []int{1, 2},
			want: []string{
				"All 1 checks pass. Lesson 1 is done!", "Next: lesson 2, Lesson two: press n",
				"[###############---------------] 1 of 2 lessons passed",
				"h hint, l list, n next, r run again", "Running lesson 2's checks…",
				"Lesson 2, Lesson two: edit lessons/02-two/a.go",
			},
		},
		{
			name:     "n after the last lesson passes ends it",
			pass:     map[int]bool{1: true, 2: true},
			keys:     []string{"n", "n"},
			wantRuns: []int{1, 2},
			want:     []string{"Every lesson has passed. Well done!"},
			absent:   []string{"Stopped watching"},
		},
		{
			name:     "an unknown key says so",
			keys:     []string{"z"},
			wantRuns: []int{1},
			want:     []string{`No key "z" here.`, "Keys (then Enter):"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := &fakeRuns{pass: tt.pass}
			s, out := newSession(t, runs, tt.keys, true)
			if code := s.loop(context.Background()); code != exitOK {
				t.Errorf("exit status %d", code)
			}
			if got, want := joinInts(runs.ran), joinInts(tt.wantRuns); got != want {
				t.Errorf("runs of lessons %s, want %s", got, want)
			}
			rest := out.String()
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("missing, or out of order: %q\nin:\n%s", w, out)
					continue
				}
				rest = rest[i+len(w):]
			}
			for _, a := range tt.absent {
				if strings.Contains(out.String(), a) {
					t.Errorf("has %q:\n%s", a, out)
				}
			}
		})
	}
}

// TestNextSkipsWhatPassedBefore: a lesson that passed once and fails now
// is not where n goes; n goes on to the next lesson never passed.
func TestNextSkipsWhatPassedBefore(t *testing.T) {
	runs := &fakeRuns{pass: map[int]bool{2: true}}
	s, out := newSessionOf(t, runs, []string{"n"}, true, "one", "two", "three")
	when := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s.st.Record("01-one", true, when)
	s.st.Record("01-one", false, when.Add(time.Hour))
	saveProgress(t, s)
	s.l = s.e.lessons[1]
	if code := s.loop(context.Background()); code != exitOK {
		t.Errorf("exit status %d", code)
	}
	if got := joinInts(runs.ran); got != "2 3" {
		t.Errorf("runs of lessons %s, want 2 3\n%s", got, out)
	}
	if !strings.Contains(out.String(), "2 of 3 lessons passed, 1 failing now (workbook verify runs them again)") {
		t.Errorf("the footer does not count lesson 1 as failing now:\n%s", out)
	}
	if !strings.Contains(out.String(), "Next: lesson 3, Lesson three: press n") {
		t.Errorf("does not offer lesson 3 next:\n%s", out)
	}
	if !s.st.Passed("01-one") || !s.st.Failing("01-one") {
		t.Errorf("lesson 1: passed %v, failing %v; want passed before, failing now", s.st.Passed("01-one"), s.st.Failing("01-one"))
	}
}

// TestNextWhenTheRestFailNow: with every lesson passed once, n ends the
// session, and says which fail now rather than that all is well.
func TestNextWhenTheRestFailNow(t *testing.T) {
	runs := &fakeRuns{pass: map[int]bool{1: true}}
	s, out := newSession(t, runs, []string{"n"}, true)
	when := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s.st.Record("02-two", true, when)
	s.st.Record("02-two", false, when.Add(time.Hour))
	saveProgress(t, s)
	s.loop(context.Background())
	if want := "Every lesson has passed once, and 1 fails now: workbook verify runs them all again."; !strings.Contains(out.String(), want) {
		t.Errorf("missing %q:\n%s", want, out)
	}
	if strings.Contains(out.String(), "Well done") || strings.Contains(out.String(), "Stopped watching") {
		t.Errorf("says all is well, or how to come back:\n%s", out)
	}
}

// TestPassedBeforeFailingNow: a run that fails a lesson passed before says
// so, and keeps the pass.
func TestPassedBeforeFailingNow(t *testing.T) {
	runs := &fakeRuns{}
	s, out := newSession(t, runs, nil, true)
	when := time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
	s.st.Record("01-one", true, when)
	saveProgress(t, s)
	s.loop(context.Background())
	if want := "Lesson 1 passed before (2026-11-30), failing now: what changed since?"; !strings.Contains(out.String(), want) {
		t.Errorf("missing %q:\n%s", want, out)
	}
	if !s.st.PassedAt("01-one").Equal(when) || !s.st.Failing("01-one") {
		t.Errorf("lesson 1: passed at %v, failing %v", s.st.PassedAt("01-one"), s.st.Failing("01-one"))
	}
}

func TestSessionStaysResponsiveWhileARunHangs(t *testing.T) {
	runs := &fakeRuns{hang: true}
	// As on a terminal: keys are read while a run is under way.
	s, out := newSession(t, runs, []string{"h", "q"}, false)
	done := make(chan int)
	go func() { done <- s.loop(context.Background()) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("q did not end a session whose run hangs")
	}
	if !strings.Contains(out.String(), "(The checks are running: wait for them, or press q to quit.)") {
		t.Errorf("a key during a run was not answered:\n%s", out)
	}
	if joinInts(runs.stop) != "1" {
		t.Errorf("the hanging run was not stopped: %v", runs.stop)
	}
}

func TestSessionEndsOnASignal(t *testing.T) {
	runs := &fakeRuns{hang: true}
	s, _ := newSession(t, runs, nil, true)
	s.keys = make(chan string) // no input, ever
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- s.loop(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not end on a signal")
	}
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		passed, total int
		fancy         bool
		want          string
	}{
		{0, 3, false, "[----------]"},
		{1, 3, false, "[###-------]"},
		{3, 3, false, "[##########]"},
		{2, 4, true, "[█████░░░░░]"},
		{0, 0, false, "[----------]"},
	}
	for _, tt := range tests {
		if got := progressBar(tt.passed, tt.total, 10, tt.fancy); got != tt.want {
			t.Errorf("progressBar(%d, %d) = %q, want %q", tt.passed, tt.total, got, tt.want)
		}
	}
}

func TestKeysFromInput(t *testing.T) {
	lines := map[string]string{"h": "h", "  Hint": "h", "": "", "   ": "", "q\r": "q", "Y": "y"}
	for line, want := range lines {
		if got := lineKey(line); got != want {
			t.Errorf("lineKey(%q) = %q, want %q", line, got, want)
		}
	}
	raw := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"h", "h", true}, {"H", "h", true}, {"\r", "", true}, {"\x03", "q", true}, {"\x04", "q", true},
		{"\x1b[A", "", false}, {"\x7f", "", false}, {"\t", "", false},
	}
	for _, tt := range raw {
		got, ok := rawKey([]byte(tt.in))
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("rawKey(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCRLF(t *testing.T) {
	var b strings.Builder
	n, err := crlf{&b}.Write([]byte("one\ntwo\n"))
	if err != nil || n != 8 || b.String() != "one\r\ntwo\r\n" {
		t.Errorf("crlf wrote %q (%d, %v)", b.String(), n, err)
	}
}

func joinInts(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, string(rune('0'+n)))
	}
	return strings.Join(s, " ")
}

// saveProgress saves the session's progress, as the commands that changed
// it would have: watch reads it again before it shows or changes it.
func saveProgress(t *testing.T, s *session) {
	t.Helper()
	if err := s.st.Save(s.e.root); err != nil {
		t.Fatal(err)
	}
}

// TestWatchKeepsWhatOtherCommandsSaved: a pass another command saved while
// watch ran (workbook run in another shell) is not lost when watch saves.
func TestWatchKeepsWhatOtherCommandsSaved(t *testing.T) {
	runs := &fakeRuns{}
	s, _ := newSession(t, runs, nil, true)
	other, err := progress.Load(s.e.root)
	if err != nil {
		t.Fatal(err)
	}
	other.Record("02-two", true, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	if err := other.Save(s.e.root); err != nil {
		t.Fatal(err)
	}
	s.loop(context.Background())
	back, err := progress.Load(s.e.root)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Passed("02-two") {
		t.Error("watch saved over the pass of lesson 2 that another command had saved")
	}
}

func TestFitFrame(t *testing.T) {
	n := func(prefix string, count int) []string {
		var out []string
		for i := 1; i <= count; i++ {
			out = append(out, fmt.Sprintf("%s%d", prefix, i))
		}
		return out
	}
	footer := n("f", 4)
	for _, tt := range []struct {
		name          string
		result, aside []string
		height        int
		want          []string
	}{
		{"fits", n("r", 3), n("a", 2), 10, append(append(n("r", 3), n("a", 2)...), footer...)},
		{"no height known", n("r", 30), nil, 0, append(n("r", 30), footer...)},
		{"a long result", n("r", 30), nil, 12,
			append(append(n("r", 6), "  … 24 lines more (make the window taller to see them all)"), footer...)},
		{"a long result and a hint", n("r", 30), n("a", 3), 15,
			append(append(append(n("r", 6), "  … 24 lines more (make the window taller to see them all)"), n("a", 3)...), footer...)},
		{"a long hint too", n("r", 30), n("a", 30), 16,
			append(append(append(append(n("r", 3), "  … 27 lines more (make the window taller to see them all)"), n("a", 6)...),
				"  … 24 lines more (make the window taller to see them all)"), footer...)},
		{"a window smaller than the footer", n("r", 5), nil, 4, []string{"f2", "f3", "f4"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := fitFrame(tt.result, tt.aside, footer, tt.height)
			if !slices.Equal(got, tt.want) {
				t.Errorf("fitFrame =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.height > 0 && len(got) >= tt.height {
				t.Errorf("%d lines for a window %d high", len(got), tt.height)
			}
		})
	}
}
