package grade

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"workbook/internal/lesson"
	"workbook/internal/runner"
	"workbook/internal/scratch"
)

// Options control a grading.
type Options struct {
	// Workbook is the root of the instructor's copy.
	Workbook string
	// Submissions is a folder of submissions or a single one (see
	// Discover).
	Submissions string
	// Workers bounds the builds and runs at once; 0 means one per CPU.
	Workers int
	// Timeout bounds each lesson's run; 0 means the lesson's own limit.
	Timeout time.Duration
	// CheckTimeout bounds each check's body on each data set; 0 keeps
	// the checks' own.
	CheckTimeout time.Duration
	// PointsFile overrides the points; "" means grading.json at the
	// workbook's root, if there is one.
	PointsFile string
	// Exclude lists folders never copied into the build tree (where the
	// reports go, when it is inside the workbook).
	Exclude []string
	// Sandbox says whether each learner's program runs in a sandbox
	// (runner.Sandbox); "" means SandboxAuto.
	Sandbox SandboxMode
	// Log, if not nil, receives a line of progress now and then.
	Log func(string)
	// FailFast ends each lesson's run at its first failing check, the
	// rest then count as not run: enough when one failure is all that
	// matters (RunVariants, for mutants).
	FailFast bool
	// Seed makes the grading-time data sets (see gentime.go); 0 draws a
	// fresh one, which the report records so that -seed can repeat it.
	Seed uint64
	// Metadata is Gradescope's submission_metadata.json, for the late
	// policy of the points file; "" means /autograder/submission_metadata.json
	// if it exists, and no late policy is applied without one.
	Metadata string
	// NoFresh grades on the shipped variants instead of grading-time data.
	NoFresh bool
}

// SandboxMode says whether the learner's programs run in a sandbox.
type SandboxMode string

// The sandbox modes.
const (
	// SandboxAuto sandboxes where bubblewrap is installed and works, and
	// says plainly when it does not.
	SandboxAuto SandboxMode = "auto"
	// SandboxOff never sandboxes.
	SandboxOff SandboxMode = "off"
	// SandboxRequired refuses to grade without a sandbox.
	SandboxRequired SandboxMode = "required"
)

// unsandboxed says what grading without a sandbox leaves open.
const unsandboxed = "the learner's code runs as you, unconfined: it can read and change any file you can " +
	"(the instructor's copy and its expected results, other students' runs), start processes that outlive grading, " +
	"and reach the network. The grader still signs verdicts, kills each run's process group, caps its memory " +
	"and puts back the workbook and build copy if they changed, but only after the fact."

// grader is one grading's state.
type grader struct {
	opt   Options
	goCmd string // the go command (runner.GoTools)
	bwrap string // the sandbox's command; "" when unsandboxed
	// trusted is set when the code run is the author's own (RunVariants):
	// nothing it changes is put back, so an author's edits during a run
	// of mutants are never undone.
	trusted   bool
	lessons   []*lesson.Lesson // the instructor's
	scheme    *Scheme
	tree      *tree
	plans     map[string]*plan
	tmp       string                       // the grading's temporary folder (temps[0])
	copies    string                       // where unsandboxed runs put the checks' copies of the data
	temps     []*tempDir                   // the grading's locked temporary folders
	expected  map[string]map[string][]byte // by lesson ID, then path under expected/
	data      map[string][]byte            // every data set, by name
	used      map[string][]string          // the data sets each lesson's checks use
	hasBudget map[string]bool              // by "lesson/check"
	allows    map[string]map[string]bool   // by lesson ID, the imports beyond allowedImport's its own files make
	watches   []*snapshot
	seed      uint64          // of the grading-time data
	fresh     map[string]bool // the variants replaced by grading-time data

	mu    sync.Mutex
	seq   int
	notes []string
}

// unit is one lesson's learner files to grade: those of one submission, or
// of several with the very same files.
type unit struct {
	lesson    string
	files     map[string][]byte
	alone     bool // runs code as its package initializes: built alone
	unchanged bool
	students  []*Student
	// calibrating marks a reference solution's unit: its run writes the
	// expected results of the grading-time data.
	calibrating bool
	// generated holds the data sets a calibration run generated at check
	// time, by name, for the students' runs of the lesson.
	generated map[string][]byte
	refused   []string // why it is not built: imports its lesson does not allow

	prog     *program
	member   string // its package in a shared program
	source   string // that package's folder in the build tree
	checks   string // the folder of its external checks in the build tree
	result   *LessonResult
	outcome  *runner.Outcome // what the run that gave result found
	runFlags []Flag
	task     *runTask // the run that gave result
}

// Grade grades the submissions opt names against the instructor's copy.
func Grade(ctx context.Context, opt Options) (*Class, error) {
	began := time.Now()
	goCmd, err := runner.GoTools()
	if err != nil {
		return nil, err
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	g := &grader{opt: opt, goCmd: goCmd, plans: map[string]*plan{}, expected: map[string]map[string][]byte{},
		used: map[string][]string{}, hasBudget: map[string]bool{}}
	if err := g.chooseSandbox(); err != nil {
		return nil, err
	}
	if g.lessons, err = lesson.LoadAll(opt.Workbook); err != nil {
		return nil, err
	}
	points := opt.PointsFile
	if points == "" {
		points = filepath.Join(opt.Workbook, PointsFile)
	}
	if g.scheme, err = LoadScheme(points, g.lessons); err != nil {
		return nil, err
	}
	sources, skipped, err := Discover(opt.Submissions)
	if err != nil {
		return nil, err
	}
	sources = slices.DeleteFunc(sources, func(s Source) bool {
		if slices.Contains(opt.Exclude, s.Path) {
			skipped = append(skipped, Skipped{Name: filepath.Base(s.Path), Why: "where this grading writes its reports; nothing graded"})
			return true
		}
		return false
	})
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].Name < skipped[j].Name })
	for _, s := range skipped {
		g.log("Not graded: " + s.String())
	}
	err = g.prepare()
	defer g.removeTemp()
	if err == nil {
		err = g.freshData()
	}
	if err != nil {
		return nil, err
	}

	g.log(fmt.Sprintf("Grading %d submission(s) against %s (%d lessons, %d workers)", len(sources), opt.Workbook, len(g.lessons), opt.Workers))
	students, units := g.readAll(sources)
	if err := g.calibrate(ctx); err != nil {
		return nil, err
	}
	if err := g.gradeUnits(ctx, units); err != nil {
		return nil, err
	}
	if err := g.lateChanges(); err != nil {
		return nil, err
	}
	class := g.assemble(students, units)
	g.findSimilar(class, units)
	if err := g.applyLate(class); err != nil {
		return nil, err
	}
	class.Skipped = skipped
	class.Elapsed = time.Since(began)
	return class, nil
}

// chooseSandbox finds the sandbox opt.Sandbox asks for, or says once that
// grading is unsandboxed and what that leaves open.
func (g *grader) chooseSandbox() error {
	mode := g.opt.Sandbox
	if mode == "" {
		mode = SandboxAuto
	}
	var why string
	switch mode {
	case SandboxOff:
		why = "-sandbox=off"
	case SandboxAuto, SandboxRequired:
		bwrap, err := runner.FindSandbox()
		if err == nil {
			g.bwrap = bwrap
			return nil
		}
		if mode == SandboxRequired {
			return fmt.Errorf("a sandbox is required (-sandbox=required) and there is none: %v", err)
		}
		why = err.Error()
	default:
		return fmt.Errorf("unknown sandbox mode %q (off, auto or required)", mode)
	}
	msg := fmt.Sprintf("Grading is not sandboxed (%s): %s", why, unsandboxed)
	g.log(msg)
	g.note("%s", msg)
	return nil
}

func (g *grader) log(line string) {
	if g.opt.Log != nil {
		g.opt.Log(line)
	}
}

func (g *grader) note(format string, args ...any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.notes = append(g.notes, fmt.Sprintf(format, args...))
}

// scratch returns a new folder for one build or run.
func (g *grader) scratch(kind string) (string, error) {
	g.mu.Lock()
	g.seq++
	n := g.seq
	g.mu.Unlock()
	dir := filepath.Join(g.tmp, fmt.Sprintf("%s%04d", kind, n))
	return dir, os.MkdirAll(dir, 0o700)
}

// makeTemp removes the temporary folders gradings no longer running left
// behind, then makes this grading's own, locked as long as it runs: one in
// the system's temporary folder and, for the checks' copies of the data in
// unsandboxed runs, one in scratch.Dir when that is elsewhere (/dev/shm).
func (g *grader) makeTemp() error {
	parents := []string{os.TempDir()}
	if d := scratch.Dir(); d != os.TempDir() {
		parents = append(parents, d)
	}
	for _, parent := range parents {
		removed, err := removeStale(parent)
		if len(removed) > 0 {
			g.log(fmt.Sprintf("Removed %d folder(s) left by a grading that is no longer running: %s", len(removed), strings.Join(removed, ", ")))
		}
		if err != nil {
			g.log(fmt.Sprintf("Some folders left by earlier gradings were not removed: %v", err))
		}
	}
	if g.bwrap != "" {
		parents = parents[:1] // sandboxed, the copies are in the sandbox's own /tmp
	}
	for _, parent := range parents {
		t, err := makeTempDir(parent)
		if err != nil {
			return err
		}
		g.temps = append(g.temps, t)
	}
	g.tmp = g.temps[0].path
	g.copies = g.temps[len(g.temps)-1].path
	return nil
}

// removeTemp removes the grading's temporary folders.
func (g *grader) removeTemp() {
	for _, t := range g.temps {
		if err := t.remove(); err != nil {
			g.log(fmt.Sprintf("Could not remove the grading's temporary folder: %v (remove %s yourself)", err, t.path))
		}
	}
	g.temps = nil
}

// prepare snapshots the instructor's copy, makes the build tree and reads
// the expected results and data the checks are handed.
func (g *grader) prepare() error {
	wb, err := takeSnapshot(g.opt.Workbook, gradedAgainst)
	if err != nil {
		return fmt.Errorf("reading the workbook: %w", err)
	}
	if err := g.makeTemp(); err != nil {
		return err
	}
	skip := append([]string{}, g.opt.Exclude...)
	if abs, err := filepath.Abs(g.opt.Submissions); err == nil && g.opt.Submissions != "" {
		skip = append(skip, abs)
	}
	if g.tree, err = newTree(g.opt.Workbook, filepath.Join(g.tmp, "tree"), skip); err != nil {
		return err
	}
	g.tree.goCmd = g.goCmd
	built, err := lesson.LoadAll(g.tree.dir)
	if err != nil {
		return err
	}
	for _, l := range built {
		if g.plans[l.ID()], err = planLesson(l); err != nil {
			return err
		}
	}
	tr, err := takeSnapshot(g.tree.dir, nil)
	if err != nil {
		return err
	}
	g.watches = []*snapshot{wb, tr}
	for _, l := range g.lessons {
		g.expected[l.ID()] = map[string][]byte{}
		prefix := l.Rel(l.ExpectedDir()) + string(filepath.Separator)
		for rel, data := range wb.files {
			if strings.HasPrefix(rel, prefix) {
				g.expected[l.ID()][filepath.ToSlash(strings.TrimPrefix(rel, prefix))] = data
			}
		}
	}
	// What a learner's file may import beyond the standard library and
	// the database packages: what the lesson's own shipped files and
	// reference solution import.
	g.allows = map[string]map[string]bool{}
	for _, l := range g.lessons {
		g.allows[l.ID()] = lessonAllows(l, g.tree.module)
	}
	g.data = map[string][]byte{}
	for rel, data := range wb.files {
		if filepath.Dir(rel) == "data" && strings.HasSuffix(rel, ".db") {
			g.data[strings.TrimSuffix(filepath.Base(rel), ".db")] = data
		}
	}
	return nil
}

// uniqueNames returns a name for each source, in order: its own, or, for a
// name taken by an earlier source, that name with the first suffix -2, -3,
// … that no source has or is given (alice/, alice.zip and alice-2/ become
// alice, alice-3 and alice-2: a submission's file name never takes another
// student's name).
func uniqueNames(sources []Source) []string {
	taken := map[string]bool{}
	for _, src := range sources {
		taken[src.Name] = true
	}
	given := map[string]bool{}
	out := make([]string, len(sources))
	for i, src := range sources {
		name := src.Name
		if given[name] {
			for n := 2; ; n++ {
				if c := fmt.Sprintf("%s-%d", src.Name, n); !taken[c] && !given[c] {
					name = c
					break
				}
			}
		}
		given[name] = true
		out[i] = name
	}
	return out
}

// readAll reads every submission and groups their lessons into units.
func (g *grader) readAll(sources []Source) ([]*Student, []*unit) {
	var students []*Student
	byKey := map[string]*unit{}
	var units []*unit
	students = make([]*Student, 0, len(sources))
	for i, name := range uniqueNames(sources) {
		src := sources[i]
		st := &Student{Name: name, Source: src.Path}
		students = append(students, st)
		root := src.Path
		if archiveExt(src.Path) != "" {
			dir, err := g.scratch("s")
			if err == nil {
				err = unpack(src.Path, dir)
			}
			if err != nil {
				st.Problem = err.Error()
				continue
			}
			root = dir
		}
		sub, err := readSubmission(root, g.opt.Workbook, g.lessons)
		if err != nil {
			st.Problem = fmt.Sprintf("reading the submission: %v", err)
			continue
		}
		st.Ignored, st.Flags = sub.ignored, sub.flags
		for _, l := range g.lessons {
			files := sub.files[l.ID()]
			if files == nil {
				continue
			}
			alone := false
			var names []string
			for name := range files {
				names = append(names, name)
			}
			sort.Strings(names)
			h := sha256.New()
			fmt.Fprintf(h, "%s\x00", l.ID())
			for _, name := range names {
				fmt.Fprintf(h, "%s\x00%d\x00", name, len(files[name]))
				h.Write(files[name])
				flags, runsCode := scanFile(filepath.ToSlash(l.RelPath(name)), files[name])
				for i := range flags {
					flags[i].Lesson = l.ID()
				}
				st.Flags = append(st.Flags, flags...)
				alone = alone || runsCode
			}
			refusedFlags := g.refusedImports(l, files)
			var refused []string
			for _, fl := range refusedFlags {
				refused = append(refused, fl.Message)
			}
			key := hex.EncodeToString(h.Sum(nil))
			u := byKey[key]
			if u == nil {
				u = &unit{lesson: l.ID(), files: files, alone: alone, unchanged: sameFiles(files, l), refused: refused}
				byKey[key] = u
				units = append(units, u)
			}
			u.students = append(u.students, st)
			st.Flags = append(st.Flags, refusedFlags...)
		}
	}
	return students, units
}

// refusedImports returns, for each construct in files that lesson l does
// not allow (see refusals: an import that reaches the program's memory, the
// standard library's included; an import beyond what the lesson allows; a
// //go: directive such as linkname), a flag saying where it is and why the
// lesson is not built. The check comes before any build, so that no
// student's package is ever linked with a package it was not meant to see
// (a classmate's, in a shared program), and no refused code ever runs.
func (g *grader) refusedImports(l *lesson.Lesson, files map[string][]byte) []Flag {
	var out []Flag
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		file := filepath.ToSlash(l.RelPath(name))
		for _, r := range refusals(files[name], g.tree.module, g.allows[l.ID()]) {
			// The place is in the message, not in File and Line: the
			// message is also the lesson's build output in the reports.
			switch {
			case !r.memory && r.why == importRule:
				out = append(out, Flag{Kind: FlagImport, Lesson: l.ID(),
					Message: fmt.Sprintf("%s:%d imports %s, which lesson %d does not allow (the standard library, sqlx, go-sqlite3 and what the lesson itself imports), so the lesson was not built and earns no points",
						file, r.line, r.what, l.Number)})
				continue
			case !r.memory:
				out = append(out, Flag{Kind: FlagImport, Lesson: l.ID(),
					Message: fmt.Sprintf("%s:%d: grading does not allow %s: %s. Lesson %d was not built and earns no points",
						file, r.line, r.what, r.why, l.Number)})
				continue
			}
			out = append(out, Flag{Kind: FlagUnsafe, Lesson: l.ID(),
				Message: fmt.Sprintf("%s:%d: grading does not allow %s: %s. Lesson %d was not built and earns no points: remove it and solve the lesson with what it hands you",
					file, r.line, r.what, r.why, l.Number)})
		}
	}
	return out
}

// calibrate runs every lesson's checks on its reference solution: they
// must all pass on this machine, or grading would be unfair. It learns
// which data sets each lesson uses and which checks have a budget.
func (g *grader) calibrate(ctx context.Context) error {
	var units []*unit
	for _, l := range g.lessons {
		files := map[string][]byte{}
		for _, f := range l.Files {
			data, err := os.ReadFile(l.SolutionPath(f))
			if err != nil {
				return fmt.Errorf("lesson %s has no reference solution (%s): grading checks the checks with it first", l.ID(), filepath.ToSlash(l.Rel(l.SolutionPath(f))))
			}
			files[f] = data
		}
		units = append(units, &unit{lesson: l.ID(), files: files, calibrating: true})
	}
	g.log("Checking the reference solutions…")
	if err := g.gradeUnits(ctx, units); err != nil {
		return err
	}
	var problems []string
	for _, u := range units {
		r := u.result
		used := map[string]bool{}
		for _, c := range r.Checks {
			if c.Verdict != nil {
				for _, d := range c.Verdict.Data {
					used[d] = true
				}
				g.hasBudget[u.lesson+"/"+c.Name] = c.Verdict.MaxStatements > 0
			}
			if !c.Passed() {
				why := string(c.Status)
				if c.Verdict != nil && len(c.Verdict.Failures) > 0 {
					why += ": " + c.Verdict.Failures[0].Summary
				} else if len(r.Build) > 0 {
					why += ": " + r.Build[0]
				}
				problems = append(problems, fmt.Sprintf("%s/%s %s", u.lesson, c.Name, why))
			}
		}
		for d := range used {
			g.used[u.lesson] = append(g.used[u.lesson], d)
		}
		// A set the reference's checks generated goes to every student's
		// run of the lesson, made once instead of once a run.
		for d, data := range u.generated {
			g.data[d] = data
			if !used[d] {
				g.used[u.lesson] = append(g.used[u.lesson], d)
			}
		}
		sort.Strings(g.used[u.lesson])
	}
	if len(problems) > 0 {
		return fmt.Errorf("the reference solutions do not pass every check on this machine, so no grade would be fair:\n  %s\n(run `workbook dev verify` to see why)", strings.Join(problems, "\n  "))
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// maxMembers bounds the units linked into one shared program.
const maxMembers = 400

// gradeUnits builds and runs the units, filling in their results.
func (g *grader) gradeUnits(ctx context.Context, units []*unit) error {
	if len(units) == 0 {
		return nil
	}
	// Build: the units whose files run nothing as their package
	// initializes share programs; the others get one each. No learner code
	// runs while programs build.
	var shared, alone []*unit
	for _, u := range units {
		if len(u.refused) > 0 {
			u.result = g.compileError(u.lesson, u.refused)
			continue
		}
		if u.alone || !g.plans[u.lesson].foldable {
			alone = append(alone, u)
		} else {
			shared = append(shared, u)
		}
	}
	var builds []func() error
	for len(shared) > 0 {
		batch := shared[:min(len(shared), maxMembers)]
		shared = shared[len(batch):]
		builds = append(builds, func() error { return g.buildShared(ctx, batch) })
	}
	for _, u := range alone {
		builds = append(builds, func() error { return g.buildAlone(ctx, u) })
	}
	g.log(fmt.Sprintf("Building %d program(s) for %d lesson(s)…", len(builds), len(units)))
	if err := parallel(g.opt.Workers, builds); err != nil {
		return err
	}
	// Run every lesson in its program.
	var tasks []*runTask
	for _, u := range units {
		if u.prog != nil {
			tasks = append(tasks, &runTask{unit: u, prog: u.prog, member: u.member})
		}
	}
	g.log(fmt.Sprintf("Running the checks of %d lesson(s)…", len(tasks)))
	if err := g.runTasks(ctx, tasks); err != nil {
		return err
	}
	// A lesson that crashed or hung in a program it shared is run again
	// alone: another lesson's code may be to blame. Under FailFast the
	// checks after a failure never run, by design: no second run then.
	var again []*unit
	for _, u := range units {
		if u.prog != nil && u.prog.shared() && u.result.Status != Graded && !g.opt.FailFast {
			again = append(again, u)
		}
	}
	if len(again) == 0 {
		return nil
	}
	g.log(fmt.Sprintf("Running %d lesson(s) again alone…", len(again)))
	builds = nil
	for _, u := range again {
		builds = append(builds, func() error { return g.buildAlone(ctx, u) })
	}
	if err := parallel(g.opt.Workers, builds); err != nil {
		return err
	}
	tasks = nil
	for _, u := range again {
		if u.prog != nil {
			tasks = append(tasks, &runTask{unit: u, prog: u.prog})
		}
	}
	if err := g.runTasks(ctx, tasks); err != nil {
		return err
	}
	for _, u := range again {
		u.result.Isolated = true
	}
	return nil
}

// buildShared builds one program for a batch of units; units that do not
// compile get their compiler's messages as their result.
func (g *grader) buildShared(ctx context.Context, batch []*unit) error {
	dir, err := g.scratch("b")
	if err != nil {
		return err
	}
	var members []member
	for i, u := range batch {
		u.member = fmt.Sprintf("u%04d", i+1)
		members = append(members, member{name: u.member, plan: g.plans[u.lesson], files: u.files})
	}
	prog, failed, err := g.tree.buildShared(ctx, dir, members)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		// Not one lesson's fault: build each alone.
		g.log(fmt.Sprintf("The shared program did not build (%v); building each lesson alone.", firstLine(err.Error())))
		var builds []func() error
		for _, u := range batch {
			if _, ok := failed[u.member]; !ok {
				builds = append(builds, func() error { return g.buildAlone(ctx, u) })
			}
		}
		if err := parallel(g.opt.Workers, builds); err != nil {
			return err
		}
	}
	for _, u := range batch {
		if msgs, ok := failed[u.member]; ok {
			u.result = g.compileError(u.lesson, msgs)
			continue
		}
		if prog != nil {
			u.prog = prog
			u.source, u.checks = g.tree.memberDir(u.member), g.tree.checksDir(u.member)
		}
	}
	return nil
}

// buildAlone builds the program of one unit by itself.
func (g *grader) buildAlone(ctx context.Context, u *unit) error {
	dir, err := g.scratch("b")
	if err != nil {
		return err
	}
	prog, build, err := g.tree.buildIsolated(ctx, dir, g.plans[u.lesson], u.files)
	if err != nil {
		return err
	}
	u.prog, u.member, u.source, u.checks = prog, "", "", ""
	if prog == nil {
		u.result = g.compileError(u.lesson, build)
	}
	return nil
}

func (g *grader) compileError(id string, build []string) *LessonResult {
	l := g.lesson(id)
	r := &LessonResult{Lesson: l, Status: CompileError, Build: build}
	for _, c := range l.Checks {
		r.Checks = append(r.Checks, &CheckResult{Name: c.Name, About: c.About, Status: CheckCompileError})
	}
	return r
}

func (g *grader) lesson(id string) *lesson.Lesson {
	for _, l := range g.lessons {
		if l.ID() == id {
			return l
		}
	}
	panic("grade: no lesson " + id)
}

// runTask is one lesson run in one program.
type runTask struct {
	unit   *unit
	prog   *program
	member string
}

// runTasks runs tasks, then makes sure none of them changed the
// instructor's copy or the build tree. If one did, the files are put back
// and the tasks run again one at a time to find which.
//
// Sandboxed, the programs cannot reach the instructor's copy: a change
// there is the instructor's own (an edit while grading runs), and it is
// noted, never undone.
func (g *grader) runTasks(ctx context.Context, tasks []*runTask) error {
	var jobs []func() error
	for _, t := range tasks {
		jobs = append(jobs, func() error { return g.runTask(ctx, t) })
	}
	if err := parallel(g.opt.Workers, jobs); err != nil {
		return err
	}
	if err := g.ownChanges(); err != nil {
		return err
	}
	changes, err := g.changes()
	if err != nil || len(changes) == 0 {
		return err
	}
	if err := g.restore(); err != nil {
		return err
	}
	g.log("Some submission's code changed the grader's files; finding which…")
	found := false
	for _, t := range tasks {
		if err := g.runTask(ctx, t); err != nil {
			return err
		}
		changes, err := g.changes()
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			continue
		}
		found = true
		if err := g.restore(); err != nil {
			return err
		}
		for _, st := range t.unit.students {
			st.Flags = append(st.Flags, Flag{Kind: FlagTampered, Lesson: t.unit.lesson,
				Message: "while its checks ran, its code wrote to the grader's files (now put back as they were): " + changedList(changes)})
		}
	}
	if !found {
		g.note("While the checks ran, something changed the grader's files (%s); they were put back, and running each lesson again alone did not change them again.", changedList(changes))
	}
	return nil
}

// lateChanges looks at the grader's files once more when every run has
// ended: a change now was made by a process that outlived its run (which
// the sandbox rules out). It is put back and noted.
func (g *grader) lateChanges() error {
	if err := g.ownChanges(); err != nil {
		return err
	}
	changes, err := g.changes()
	if err != nil || len(changes) == 0 {
		return err
	}
	if err := g.restore(); err != nil {
		return err
	}
	g.note("After every run had ended, something changed the grader's files (%s): a process outlived its run. They were put back; the grades stand, but look at who started it.", changedList(changes))
	return nil
}

// ownChanges notes the changes to the instructor's copy that no program
// graded can have made: with every program sandboxed, or when the code run
// is the author's own. They are left as they are, and the snapshot taken
// at the start (from which the expected results came) is brought up to
// date, so that they are not taken for a student's later.
func (g *grader) ownChanges() error {
	if len(g.watches) == 0 || (g.bwrap == "" && !g.trusted) {
		return nil
	}
	c, err := g.watches[0].changes()
	if err != nil || len(c) == 0 {
		return err
	}
	if !g.trusted {
		g.note("Your copy changed while grading ran (%s). No graded program can reach it in the sandbox, so the change is "+
			"your own: it was left as it is, and the grading used your copy as it was when it began.", strings.Join(c, ", "))
	}
	fresh, err := takeSnapshot(g.watches[0].root, g.watches[0].tops)
	if err != nil {
		return err
	}
	g.watches[0] = fresh
	return nil
}

// changes lists what changed in the grader's files since their snapshots:
// the build copy, and the instructor's copy when a graded program could
// have reached it.
func (g *grader) changes() ([]string, error) {
	if g.trusted {
		return nil, nil
	}
	var all []string
	for i, w := range g.watches {
		c, err := w.changes()
		if err != nil {
			return nil, err
		}
		where := "the instructor's copy: "
		if i > 0 {
			where = "the grader's build copy: "
		}
		for _, x := range c {
			all = append(all, where+x)
		}
	}
	return all, nil
}

func (g *grader) restore() error {
	for _, w := range g.watches {
		if err := w.restore(); err != nil {
			return fmt.Errorf("putting back %s: %w", w.root, err)
		}
	}
	return nil
}

// runTask runs one lesson of one program and turns what it left into the
// unit's result.
func (g *grader) runTask(ctx context.Context, t *runTask) error {
	u := t.unit
	l := g.lesson(u.lesson)
	limit := g.opt.Timeout
	if limit <= 0 {
		limit = l.RunTimeout()
	}
	dir, err := g.scratch("r")
	if err != nil {
		return err
	}
	data := g.data
	if used := g.used[u.lesson]; used != nil {
		data = map[string][]byte{}
		for _, d := range used {
			data[d] = g.data[d]
		}
	}
	update := g.updateFolder(u, dir)
	o, err := run(ctx, runSpec{
		lesson: l, prog: t.prog, member: t.member, lessonIn: g.plans[u.lesson].lesson.Dir, source: u.source, checks: u.checks, limit: limit,
		check: g.opt.CheckTimeout, scratch: dir, expected: g.expected[u.lesson], data: data, sources: u.files, signer: g.tree.signer, failFast: g.opt.FailFast,
		update: update, updateData: g.freshNames(), bwrap: g.bwrap, copiesIn: g.copies,
	})
	if err == nil {
		err = g.harvest(u, update)
	}
	if err != nil {
		return err
	}
	os.RemoveAll(dir)
	// Name files as they stand in the workbook, not in the build copy.
	for i, line := range o.Crash {
		for _, d := range []string{u.source, u.checks} {
			if d != "" {
				line = strings.ReplaceAll(line, d+string(filepath.Separator), g.plans[u.lesson].lesson.Dir+string(filepath.Separator))
			}
		}
		o.Crash[i] = unfold(strings.ReplaceAll(line, g.tree.dir+string(filepath.Separator), ""))
	}
	u.outcome = o
	u.result, u.runFlags = collect(o)
	u.result.Unchanged = u.unchanged
	u.task = t
	return nil
}

// collect turns the outcome of a lesson's run into its result, with flags
// for what the checker did not write or did not start.
func collect(o *runner.Outcome) (*LessonResult, []Flag) {
	l := o.Lesson
	r := &LessonResult{Lesson: l, Status: Graded, Limit: o.Limit, Elapsed: o.Elapsed}
	var flags []Flag
	for _, check := range o.Forged.Repeated {
		flags = append(flags, Flag{Kind: FlagForged, Lesson: l.ID(), Message: fmt.Sprintf("check %s gave a second verdict; the first counts", check)})
	}
	for _, ref := range o.Forged.Refused {
		flags = append(flags, Flag{Kind: FlagForged, Lesson: l.ID(), Message: fmt.Sprintf("the checker refused to run check %s: %s", ref.Check, ref.Note)})
	}
	if o.Unreadable != "" {
		flags = append(flags, Flag{Kind: FlagForged, Lesson: l.ID(), Message: "the checks' results could not be read, so no check counts: " + o.Unreadable})
	}
	if o.Forged.Rejected > 0 {
		flags = append(flags, Flag{Kind: FlagForged, Lesson: l.ID(), Message: fmt.Sprintf(
			"%d line(s) in the results were not written by the checker and were ignored (the first: %q)", o.Forged.Rejected, o.Forged.Sample)})
	}
	for _, c := range o.Checks {
		cr := &CheckResult{Name: c.Check.Name, About: c.Check.About, Verdict: c.Verdict, Status: c.Status}
		if v := cr.Verdict; v != nil {
			for i, f := range v.Failures {
				v.Failures[i].Message = unfold(f.Message)
				v.Failures[i].Summary = unfold(f.Summary)
			}
		} else {
			r.Status = Crashed
		}
		r.Checks = append(r.Checks, cr)
	}
	if o.Stopped || o.Flooded {
		r.Status = Stopped
	}
	if r.Status != Graded {
		r.Output = o.Crash
	}
	return r, flags
}

// assemble builds the class's grades from the units' results.
func (g *grader) assemble(students []*Student, units []*unit) *Class {
	class := &Class{Workbook: g.opt.Workbook, Lessons: g.lessons, Max: map[string]float64{}, Notes: g.notes,
		Seed: g.seed, Fresh: g.freshSets(), FreshLessons: g.freshLessons(), Settings: g.scheme.Settings}
	for _, l := range g.lessons {
		for _, c := range l.Checks {
			class.Max[l.ID()] += g.scheme.maxFor(l.ID(), c.Name, g.hasBudget[l.ID()+"/"+c.Name])
		}
		class.MaxTotal += class.Max[l.ID()]
	}
	byStudent := map[*Student]map[string]*unit{}
	for _, u := range units {
		for _, st := range u.students {
			if byStudent[st] == nil {
				byStudent[st] = map[string]*unit{}
			}
			byStudent[st][u.lesson] = u
		}
	}
	for _, st := range students {
		for _, l := range g.lessons {
			u := byStudent[st][l.ID()]
			var r LessonResult
			switch {
			case u == nil || u.result == nil:
				r = LessonResult{Lesson: l, Status: NotAttempted}
				for _, c := range l.Checks {
					r.Checks = append(r.Checks, &CheckResult{Name: c.Name, About: c.About, Status: CheckNotAttempted})
				}
			default:
				r = *u.result
				r.Checks = nil
				for _, c := range u.result.Checks {
					cc := *c
					r.Checks = append(r.Checks, &cc)
				}
				st.Flags = append(st.Flags, u.runFlags...)
			}
			r.Max, r.Points = 0, 0
			for _, c := range r.Checks {
				g.scheme.score(l.ID(), c, g.hasBudget[l.ID()+"/"+c.Name])
				r.Max += c.Max
				r.Points += c.Points
			}
			st.Lessons = append(st.Lessons, &r)
		}
		st.Flags = uniqueFlags(st.Flags)
		class.Students = append(class.Students, st)
	}
	return class
}

// uniqueFlags drops repeated flags, keeping the first of each.
func uniqueFlags(flags []Flag) []Flag {
	seen := map[Flag]bool{}
	var out []Flag
	for _, f := range flags {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// parallel runs jobs on n workers and returns the first error.
func parallel(n int, jobs []func() error) error {
	ch := make(chan func() error)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range min(n, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range ch {
				if err := job(); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	return first
}
