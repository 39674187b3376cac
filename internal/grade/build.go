package grade

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
	"workbook/internal/runner"
)

// tree is the grader's private copy of the instructor's workbook that
// programs are built in: the Go sources, go.mod, go.sum and the lessons'
// manifests, without expected results, data or solutions.
type tree struct {
	dir    string
	module string
	goCmd  string // the go command that builds in it (runner.GoTools)
	// signer signs every run's hand-over; its public half is built into
	// every program of this tree (ldflags), whose checker then accepts
	// no other.
	signer ed25519.PrivateKey
}

// skippedInTree are folders never copied into the build tree.
var skippedInTree = map[string]bool{lesson.ExpectedName: true, "testdata": true, lesson.SolutionsDir: true, "data": true}

// newTree copies what building needs from workbook into dir, leaving out
// the folders in skip (absolute paths: the submissions, the output).
func newTree(workbook, dir string, skip []string) (*tree, error) {
	err := filepath.WalkDir(workbook, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(workbook, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != workbook && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || skippedInTree[d.Name()] && !strings.Contains(rel, "vendor")) {
				return filepath.SkipDir
			}
			for _, s := range skip {
				if p == s {
					return filepath.SkipDir
				}
			}
			return nil
		}
		name := d.Name()
		inLessons := strings.HasPrefix(rel, lesson.LessonsDir+string(filepath.Separator))
		if !d.Type().IsRegular() || !(strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum" ||
			inLessons || strings.HasPrefix(rel, "vendor"+string(filepath.Separator))) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return nil, fmt.Errorf("copying the workbook to build in: %w", err)
	}
	module, err := lesson.ModulePath(dir)
	if err != nil {
		return nil, err
	}
	_, signer, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	return &tree{dir: dir, module: module, signer: signer}, nil
}

// plan is how a lesson's program is built.
type plan struct {
	lesson *lesson.Lesson // as loaded from the build tree
	pkg    string         // the package's name
	files  []string       // the package's other files (not the learner's, not tests)
	checks []string       // the check files (_test.go) in the lesson's package, by name
	tests  []string       // their Test functions
	// xchecks and xtests are the check files of the external test package
	// (package name_test), which sees only the lesson's exported names, and
	// their Test functions.
	xchecks []string
	xtests  []string
	// foldable is set when the lesson's package can be copied, with its
	// checks compiled as ordinary files, into a shared program.
	foldable bool
}

// planLesson reads the files of a lesson in the build tree. Checks without
// a TestMain, in a package of one folder that embeds no files, are
// foldable: the package, with a learner's files and the checks in the
// lesson's package as ordinary files, can be copied under another import
// path, and the checks of the external test package (package name_test)
// as ordinary files of a package beside it, and linked with others into
// one program. Other lessons are built alone with go test -c.
func planLesson(l *lesson.Lesson) (*plan, error) {
	p := &plan{lesson: l, foldable: true}
	learner := map[string]bool{}
	for _, f := range l.Files {
		learner[f] = true
		if strings.Contains(f, "/") || !strings.HasSuffix(f, ".go") {
			p.foldable = false
		}
	}
	files, err := filepath.Glob(filepath.Join(l.Dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		af, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("lesson %s: %w", l.ID(), err)
		}
		if bytes.Contains(src, []byte("//go:embed")) {
			p.foldable = false
		}
		name := filepath.Base(f)
		if !strings.HasSuffix(f, "_test.go") {
			p.pkg = af.Name.Name
			if !learner[name] {
				p.files = append(p.files, name)
			}
			continue
		}
		external := strings.HasSuffix(af.Name.Name, "_test")
		if external {
			p.xchecks = append(p.xchecks, name)
		} else {
			p.checks = append(p.checks, name)
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !isTestName(fd.Name.Name) {
				continue
			}
			if fd.Name.Name == "TestMain" {
				p.foldable = false
				continue
			}
			switch {
			case !isTestFunc(fd):
			case external:
				p.xtests = append(p.xtests, fd.Name.Name)
			default:
				p.tests = append(p.tests, fd.Name.Name)
			}
		}
	}
	if p.pkg == "" || len(p.tests)+len(p.xtests) == 0 {
		p.foldable = false
	}
	sort.Strings(p.tests)
	sort.Strings(p.xtests)
	return p, nil
}

func isTestName(name string) bool {
	if !strings.HasPrefix(name, "Test") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(name[4:])
	return len(name) == 4 || !unicode.IsLower(r)
}

// isTestFunc reports whether fd is func(t *testing.T) with no results.
func isTestFunc(fd *ast.FuncDecl) bool {
	ps := fd.Type.Params.List
	if fd.Type.Results != nil || len(ps) != 1 || len(ps[0].Names) > 1 {
		return false
	}
	star, ok := ps[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "T"
}

// foldedName is the name a check file takes when compiled as an ordinary
// file of its package, and unfold turns it back in compiler messages.
func foldedName(check string) string { return strings.TrimSuffix(check, "_test.go") + "_test_grade.go" }
func unfold(s string) string         { return strings.ReplaceAll(s, "_test_grade.go", "_test.go") }

// program is a built test program.
type program struct {
	path string
	// units names the packages of a shared program, one per unit, by the
	// argument that runs its checks; nil for a program of one lesson
	// built by go test -c.
	units []string
}

// shared reports whether the program holds more than one unit.
func (p *program) shared() bool { return len(p.units) > 1 }

// buildEnv is goEnv for a build whose folder is dir: the go command's own
// temporary folders go there too, inside the grading's, so that whatever a
// build leaves is removed with the grading's folders.
func buildEnv(dir string) []string { return append(goEnv(), "GOTMPDIR="+dir) }

// goEnv is the environment of the go commands the grader runs: the
// toolchain installed, no network, the build cache and module cache shared.
func goEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOFLAGS", "GOPROXY", "GOTOOLCHAIN", "GOWORK", "CGO_ENABLED", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOTMPDIR":
			continue
		}
		if strings.HasPrefix(name, protocol.EnvPrefix) {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off", "CGO_ENABLED=1")
}

// ldflags strip the symbol table and DWARF (panics keep their file and line:
// they come from the pc tables), which halves link time, and mark the
// program as a test binary as go test does.
const ldflags = "-s -w -X testing.testBinary=1"

// ldflags returns the link flags of the tree's programs: the package's,
// and the grader's public key for the checker (see checker.graderKey).
func (t *tree) ldflags() string {
	pub := t.signer.Public().(ed25519.PublicKey)
	return fmt.Sprintf("%s -X %s/checker.graderKey=%s", ldflags, t.module, hex.EncodeToString(pub))
}

// overlay writes the learner's files of each lesson into dir and returns
// the overlay that puts them in place in the build tree.
func (t *tree) overlay(dir string, p *plan, files map[string][]byte) (map[string]string, error) {
	ov := map[string]string{}
	id := p.lesson.ID()
	for name, data := range files {
		src := filepath.Join(dir, "src", id, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(src, t.checkedSource(data), 0o644); err != nil {
			return nil, err
		}
		ov[p.lesson.LearnerPath(name)] = src
	}
	return ov, nil
}

// checkedSource returns a learner's file as the checks build it: with
// its imports of sort and slices pointing at the checker's copies (see
// runner.ShadowSorts).
func (t *tree) checkedSource(src []byte) []byte {
	if shadowed := runner.ShadowSorts(src, t.module); shadowed != nil {
		return shadowed
	}
	return src
}

func writeOverlay(path string, ov map[string]string) error {
	data, err := json.Marshal(map[string]any{"Replace": ov})
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// batchDir holds, in the build tree and only through the overlay, the
// packages of a shared program: one folder per unit, and main.
const batchDir = "gradebatch"

// member is one unit of a shared program: a lesson's package with one
// learner's files, copied to its own folder (and import path).
type member struct {
	name  string // the folder under batchDir, and the argument that runs it
	plan  *plan
	files map[string][]byte
}

// memberDir returns where the member's package stands in the build tree.
func (t *tree) memberDir(name string) string { return filepath.Join(t.dir, batchDir, name) }

// checkerFirst is a file the grader adds to every member's package, which
// imports the checker so that it initializes first, as in go test.
const checkerFirst = "checker_first_grade.go"

// checksName is the folder, under batchDir, of the package that holds a
// member's external checks (package name_test), beside its package.
func checksName(member string) string { return member + "_checks" }

// checksDir returns where the member's external checks stand in the build
// tree.
func (t *tree) checksDir(name string) string { return t.memberDir(checksName(name)) }

// importPath returns the import path of the folder name under batchDir.
func (t *tree) importPath(name string) string { return t.module + "/" + batchDir + "/" + name }

// lessonImport returns the import path of the lesson p plans, as its
// external checks import it.
func (t *tree) lessonImport(p *plan) string {
	return t.module + "/" + filepath.ToSlash(p.lesson.Rel(p.lesson.Dir))
}

// retarget returns the check file src with its import of the lesson's
// package, path, changed to to: the external checks of a member import the
// member's copy. Only the import's path changes, so every line keeps its
// number.
func retarget(name string, src []byte, path, to string) ([]byte, error) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	for _, imp := range af.Imports {
		if imp.Path.Value != strconv.Quote(path) {
			continue
		}
		at, end := fset.Position(imp.Path.Pos()).Offset, fset.Position(imp.Path.End()).Offset
		out := append(append(append([]byte(nil), src[:at]...), strconv.Quote(to)...), src[end:]...)
		return out, nil
	}
	return src, nil
}

// mainSource returns the main of a shared program, which runs the tests of
// the member its first argument names.
func (t *tree) mainSource(members []member) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by workbook grade. DO NOT EDIT.\n\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"regexp\"\n\t\"testing\"\n\n")
	for _, m := range members {
		if len(m.plan.tests) > 0 {
			fmt.Fprintf(&b, "\t%s %q\n", m.name, t.importPath(m.name))
		}
		if len(m.plan.xtests) > 0 {
			fmt.Fprintf(&b, "\t%s %q\n", checksName(m.name), t.importPath(checksName(m.name)))
		}
	}
	b.WriteString(")\n\nvar members = map[string][]testing.InternalTest{\n")
	for _, m := range members {
		// As go test orders them: the package's tests, then the external
		// package's.
		fmt.Fprintf(&b, "\t%q: {\n", m.name)
		for _, name := range m.plan.tests {
			fmt.Fprintf(&b, "\t\t{Name: %q, F: %s.%s},\n", name, m.name, name)
		}
		for _, name := range m.plan.xtests {
			fmt.Fprintf(&b, "\t\t{Name: %q, F: %s.%s},\n", name, checksName(m.name), name)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString(`}

func main() {
	if len(os.Args) < 2 || members[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: program <member> [test flags]")
		os.Exit(2)
	}
	tests := members[os.Args[1]]
	os.Args = append(os.Args[:1:1], os.Args[2:]...)
	testing.Main(func(pat, str string) (bool, error) { return regexp.MatchString(pat, str) }, tests, nil, nil)
}
`)
	return b.Bytes()
}

// buildShared links members into one program in dir, each member's
// package a copy of its lesson's with the learner's files and the checks
// compiled as ordinary files. Members that do not compile are left out and
// returned with the compiler's messages; err is set when the build failed
// for another reason.
func (t *tree) buildShared(ctx context.Context, dir string, members []member) (*program, map[string][]string, error) {
	failed := map[string][]string{}
	// Every member's package, as overlay entries.
	ov := map[string]string{}
	for _, m := range members {
		mdir := t.memberDir(m.name)
		for name, data := range m.files {
			src := filepath.Join(dir, "src", m.name, name)
			if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
				return nil, nil, err
			}
			if err := os.WriteFile(src, t.checkedSource(data), 0o644); err != nil {
				return nil, nil, err
			}
			ov[filepath.Join(mdir, name)] = src
		}
		for _, f := range m.plan.files {
			ov[filepath.Join(mdir, f)] = filepath.Join(m.plan.lesson.Dir, f)
		}
		for _, c := range m.plan.checks {
			ov[filepath.Join(mdir, foldedName(c))] = filepath.Join(m.plan.lesson.Dir, c)
		}
		// Checks in the external package leave the member's package
		// without an import of the checker, and gradebatch sorts before
		// internal: without this file, the learner's package could
		// initialize before the checker has read its environment.
		first := filepath.Join(dir, "src", m.name, checkerFirst)
		if err := os.MkdirAll(filepath.Dir(first), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(first, []byte("package "+m.plan.pkg+"\n\nimport _ \""+t.module+"/checker\"\n"), 0o644); err != nil {
			return nil, nil, err
		}
		ov[filepath.Join(mdir, checkerFirst)] = first
		for _, c := range m.plan.xchecks {
			orig := filepath.Join(m.plan.lesson.Dir, c)
			data, err := os.ReadFile(orig)
			if err != nil {
				return nil, nil, err
			}
			if data, err = retarget(orig, data, t.lessonImport(m.plan), t.importPath(m.name)); err != nil {
				return nil, nil, err
			}
			src := filepath.Join(dir, "src", checksName(m.name), foldedName(c))
			if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
				return nil, nil, err
			}
			if err := os.WriteFile(src, data, 0o644); err != nil {
				return nil, nil, err
			}
			ov[filepath.Join(t.checksDir(m.name), foldedName(c))] = src
		}
	}
	for len(members) > 0 {
		mainFile := filepath.Join(dir, "main.go")
		if err := os.WriteFile(mainFile, t.mainSource(members), 0o644); err != nil {
			return nil, failed, err
		}
		ov[filepath.Join(t.dir, batchDir, "main", "main.go")] = mainFile
		ovFile := filepath.Join(dir, "overlay.json")
		if err := writeOverlay(ovFile, ov); err != nil {
			return nil, failed, err
		}
		bin := filepath.Join(dir, "program")
		cmd := t.goCommand(ctx, "build", "-json", "-overlay="+ovFile, "-ldflags="+t.ldflags(), "-o", bin, "./"+batchDir+"/main")
		cmd.Dir, cmd.Env = t.dir, buildEnv(dir)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		runErr := cmd.Run()
		if runErr == nil {
			p := &program{path: bin}
			for _, m := range members {
				p.units = append(p.units, m.name)
			}
			return p, failed, nil
		}
		if ctx.Err() != nil {
			return nil, failed, ctx.Err()
		}
		byPkg := buildFailures(stdout.Bytes())
		var rest []member
		for _, m := range members {
			msgs, ok := byPkg[t.importPath(m.name)]
			xmsgs, xok := byPkg[t.importPath(checksName(m.name))]
			if ok || xok {
				moved := map[string]string{t.memberDir(m.name): m.plan.lesson.Dir, t.checksDir(m.name): m.plan.lesson.Dir}
				failed[m.name] = t.inTree(append(msgs, xmsgs...), ov, moved)
				continue
			}
			rest = append(rest, m)
		}
		if len(rest) == len(members) {
			return nil, failed, fmt.Errorf("building the lessons together: %v\n%s%s", runErr, stderr.Bytes(), eventText(stdout.Bytes()))
		}
		members = rest
	}
	return nil, failed, nil
}

// buildIsolated builds the lesson of p alone, as go test does, into dir.
// build holds the compiler's messages when it did not compile.
func (t *tree) buildIsolated(ctx context.Context, dir string, p *plan, files map[string][]byte) (prog *program, build []string, err error) {
	ov, err := t.overlay(dir, p, files)
	if err != nil {
		return nil, nil, err
	}
	ovFile := filepath.Join(dir, "overlay.json")
	if err := writeOverlay(ovFile, ov); err != nil {
		return nil, nil, err
	}
	bin := filepath.Join(dir, "program")
	cmd := t.goCommand(ctx, "test", "-c", "-overlay="+ovFile, "-ldflags="+t.ldflags(), "-o", bin, "./"+filepath.ToSlash(p.lesson.Rel(p.lesson.Dir)))
	cmd.Dir, cmd.Env = t.dir, buildEnv(dir)
	out, runErr := cmd.CombinedOutput()
	if runErr == nil {
		return &program{path: bin}, nil, nil
	}
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	build = t.inTree(compilerLines(string(out)), ov, nil)
	if len(build) == 0 {
		return nil, nil, fmt.Errorf("building lesson %s: %v", p.lesson.ID(), runErr)
	}
	return nil, build, nil
}

// inTree rewrites the paths in compiler messages from where the grader
// keeps the learner's files (ov's sources) and the members' copies (moved's
// keys) to where they stand in the workbook: lessons/07-n-plus-one/report.go.
func (t *tree) inTree(lines []string, ov map[string]string, moved map[string]string) []string {
	var pairs []string
	for target, src := range ov {
		for from, to := range moved {
			if strings.HasPrefix(target, from+string(filepath.Separator)) {
				target = to + strings.TrimPrefix(target, from)
			}
		}
		to, err := filepath.Rel(t.dir, target)
		if err != nil {
			continue
		}
		pairs = append(pairs, src, to)
		if rel, err := filepath.Rel(t.dir, src); err == nil {
			pairs = append(pairs, rel, to)
		}
	}
	for from, to := range moved {
		rf, err1 := filepath.Rel(t.dir, from)
		rt, err2 := filepath.Rel(t.dir, to)
		if err1 == nil && err2 == nil {
			pairs = append(pairs, rf+string(filepath.Separator), rt+string(filepath.Separator))
		}
	}
	r := strings.NewReplacer(pairs...)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = unfold(r.Replace(l))
	}
	return out
}

// buildEvent is one line of go build -json.
type buildEvent struct {
	ImportPath string
	Action     string
	Output     string
}

// buildFailures returns the compiler's messages of each package that
// failed to build, by import path.
func buildFailures(stream []byte) map[string][]string {
	output := map[string]*strings.Builder{}
	failed := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var ev buildEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		pkg, _, _ := strings.Cut(ev.ImportPath, " ")
		switch ev.Action {
		case "build-output":
			if output[pkg] == nil {
				output[pkg] = &strings.Builder{}
			}
			output[pkg].WriteString(ev.Output)
		case "build-fail":
			failed[pkg] = nil
		}
	}
	for pkg := range failed {
		text := ""
		if output[pkg] != nil {
			text = output[pkg].String()
		}
		failed[pkg] = compilerLines(text)
		if len(failed[pkg]) == 0 {
			failed[pkg] = []string{"the lesson did not build (go gave no message)"}
		}
	}
	return failed
}

func eventText(stream []byte) string {
	var b strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var ev buildEvent
		if json.Unmarshal(sc.Bytes(), &ev) == nil {
			b.WriteString(ev.Output)
		}
	}
	return b.String()
}

// compilerLines returns the compiler's messages in out, without go's
// package headers, with check files under their own names.
func compilerLines(out string) []string {
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "# ") || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "FAIL\t") {
			continue
		}
		lines = append(lines, unfold(line))
	}
	return lines
}

// goCommand returns the go command with args, in a process group of its
// own: cancelled (grading stopped by a signal), the whole group is killed,
// the compilers and the linker go started included, so that nothing of a
// build outlives the grading or writes into folders being removed. A
// grading killed outright (SIGKILL) takes the go command with it; the
// compilers it left write only in its work folder, which the build's
// GOTMPDIR (see buildEnv) puts in the grading's own folder.
func (t *tree) goCommand(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, t.goCmd, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	runner.KillWithParent(cmd.SysProcAttr)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	return cmd
}
