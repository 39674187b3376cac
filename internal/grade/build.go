package grade

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"workbook/internal/lesson"
)

// tree is the grader's private copy of the instructor's workbook that
// programs are built in: the Go sources, go.mod, go.sum and the lessons'
// manifests, without expected results, data or solutions.
type tree struct {
	dir    string
	module string
}

// skippedInTree are folders never copied into the build tree.
var skippedInTree = map[string]bool{"expected": true, "testdata": true, "solutions": true, "data": true}

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
		inLessons := strings.HasPrefix(rel, "lessons"+string(filepath.Separator))
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
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, err
	}
	module := modulePath(mod)
	if module == "" {
		return nil, fmt.Errorf("%s has no module line", filepath.Join(workbook, "go.mod"))
	}
	return &tree{dir: dir, module: module}, nil
}

// modulePath returns the module path go.mod declares.
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(strings.Split(rest, "//")[0]), `"`)
		}
	}
	return ""
}

// plan is how a lesson's program is built.
type plan struct {
	lesson   *lesson.Lesson // as loaded from the build tree
	pkg      string         // the package's name
	checks   []string       // the check files (_test.go), by name
	tests    []string       // their Test functions
	foldable bool           // the checks can be linked into a shared program
}

// planLesson reads the check files of a lesson in the build tree. Checks
// written in the lesson's own package, without a TestMain, are foldable:
// compiled as ordinary files, they link with other lessons into one
// program. Others are built alone with go test -c.
func planLesson(l *lesson.Lesson) (*plan, error) {
	p := &plan{lesson: l, foldable: true}
	files, err := filepath.Glob(filepath.Join(l.Dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("lesson %s: %w", l.ID(), err)
		}
		if !strings.HasSuffix(f, "_test.go") {
			p.pkg = af.Name.Name
			continue
		}
		if strings.HasSuffix(af.Name.Name, "_test") {
			p.foldable = false
		}
		p.checks = append(p.checks, filepath.Base(f))
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !isTestName(fd.Name.Name) {
				continue
			}
			if fd.Name.Name == "TestMain" {
				p.foldable = false
				continue
			}
			if isTestFunc(fd) {
				p.tests = append(p.tests, fd.Name.Name)
			}
		}
	}
	if p.pkg == "" || len(p.tests) == 0 {
		p.foldable = false
	}
	sort.Strings(p.tests)
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
	path    string
	lessons []string // the IDs of the lessons it holds
	// combined programs take the lesson to run as their first argument.
	combined bool
}

// goEnv is the environment of the go commands the grader runs: the
// toolchain installed, no network, the build cache and module cache shared.
func goEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOFLAGS", "GOPROXY", "GOTOOLCHAIN", "GOWORK", "CGO_ENABLED", "GONOSUMDB", "GOSUMDB", "GOINSECURE":
			continue
		}
		if strings.HasPrefix(name, "WORKBOOK_") {
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

// overlay writes the learner's files of each lesson into dir and returns
// the overlay that puts them in place in the build tree, and, for folded
// lessons, the check files as ordinary files.
func (t *tree) overlay(dir string, plans []*plan, files map[string]map[string][]byte, fold bool) (map[string]string, error) {
	ov := map[string]string{}
	for _, p := range plans {
		id := p.lesson.ID()
		for name, data := range files[id] {
			src := filepath.Join(dir, "src", id, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(src, data, 0o644); err != nil {
				return nil, err
			}
			ov[filepath.Join(p.lesson.Dir, filepath.FromSlash(name))] = src
		}
		if fold {
			for _, c := range p.checks {
				ov[filepath.Join(p.lesson.Dir, foldedName(c))] = filepath.Join(p.lesson.Dir, c)
			}
		}
	}
	return ov, nil
}

func writeOverlay(path string, ov map[string]string) error {
	data, err := json.Marshal(map[string]any{"Replace": ov})
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// mainDir is the package of a combined program's main, in the build tree
// only through the overlay.
const mainDir = "gradermain"

// mainSource returns the main of a program that holds the folded lessons
// of plans and runs the tests of the one named by its first argument.
func (t *tree) mainSource(plans []*plan) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by workbook grade. DO NOT EDIT.\n\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"regexp\"\n\t\"testing\"\n\n")
	for i, p := range plans {
		fmt.Fprintf(&b, "\tl%d %q\n", i, t.module+"/lessons/"+p.lesson.ID())
	}
	b.WriteString(")\n\nvar lessons = map[string][]testing.InternalTest{\n")
	for i, p := range plans {
		fmt.Fprintf(&b, "\t%q: {\n", p.lesson.ID())
		for _, name := range p.tests {
			fmt.Fprintf(&b, "\t\t{Name: %q, F: l%d.%s},\n", name, i, name)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString(`}

func main() {
	if len(os.Args) < 2 || lessons[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: program <lesson> [test flags]")
		os.Exit(2)
	}
	tests := lessons[os.Args[1]]
	os.Args = append(os.Args[:1:1], os.Args[2:]...)
	testing.Main(func(pat, str string) (bool, error) { return regexp.MatchString(pat, str) }, tests, nil, nil)
}
`)
	return b.Bytes()
}

// buildCombined links the folded lessons of plans, with the learner's
// files, into one program in dir. Lessons that do not compile are left out
// and returned with the compiler's messages; err is set when the build
// failed for another reason.
func (t *tree) buildCombined(ctx context.Context, dir string, plans []*plan, files map[string]map[string][]byte) (*program, map[string][]string, error) {
	failed := map[string][]string{}
	for len(plans) > 0 {
		ov, err := t.overlay(dir, plans, files, true)
		if err != nil {
			return nil, failed, err
		}
		mainFile := filepath.Join(dir, "main.go")
		if err := os.WriteFile(mainFile, t.mainSource(plans), 0o644); err != nil {
			return nil, failed, err
		}
		ov[filepath.Join(t.dir, mainDir, "main.go")] = mainFile
		ovFile := filepath.Join(dir, "overlay.json")
		if err := writeOverlay(ovFile, ov); err != nil {
			return nil, failed, err
		}
		bin := filepath.Join(dir, "program")
		cmd := exec.CommandContext(ctx, "go", "build", "-json", "-overlay="+ovFile, "-ldflags="+ldflags, "-o", bin, "./"+mainDir)
		cmd.Dir, cmd.Env = t.dir, goEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		runErr := cmd.Run()
		if runErr == nil {
			p := &program{path: bin, combined: true}
			for _, pl := range plans {
				p.lessons = append(p.lessons, pl.lesson.ID())
			}
			return p, failed, nil
		}
		if ctx.Err() != nil {
			return nil, failed, ctx.Err()
		}
		byPkg := buildFailures(stdout.Bytes())
		var rest []*plan
		for _, pl := range plans {
			if msgs, ok := byPkg[t.module+"/lessons/"+pl.lesson.ID()]; ok {
				failed[pl.lesson.ID()] = t.inTree(msgs, ov)
				continue
			}
			rest = append(rest, pl)
		}
		if len(rest) == len(plans) {
			return nil, failed, fmt.Errorf("building the lessons together: %v\n%s%s", runErr, stderr.Bytes(), eventText(stdout.Bytes()))
		}
		plans = rest
	}
	return nil, failed, nil
}

// buildIsolated builds the lesson of p alone, as go test does, into dir.
// build holds the compiler's messages when it did not compile.
func (t *tree) buildIsolated(ctx context.Context, dir string, p *plan, files map[string]map[string][]byte) (prog *program, build []string, err error) {
	ov, err := t.overlay(dir, []*plan{p}, files, false)
	if err != nil {
		return nil, nil, err
	}
	ovFile := filepath.Join(dir, "overlay.json")
	if err := writeOverlay(ovFile, ov); err != nil {
		return nil, nil, err
	}
	bin := filepath.Join(dir, "program")
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-overlay="+ovFile, "-ldflags="+ldflags, "-o", bin, "./lessons/"+p.lesson.ID())
	cmd.Dir, cmd.Env = t.dir, goEnv()
	out, runErr := cmd.CombinedOutput()
	if runErr == nil {
		return &program{path: bin, lessons: []string{p.lesson.ID()}}, nil, nil
	}
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	build = t.inTree(compilerLines(string(out)), ov)
	if len(build) == 0 {
		return nil, nil, fmt.Errorf("building lesson %s: %v", p.lesson.ID(), runErr)
	}
	return nil, build, nil
}

// inTree rewrites the paths of the learner's files in compiler messages
// from where the grader keeps them to where they stand in the workbook:
// lessons/07-n-plus-one/report.go.
func (t *tree) inTree(lines []string, ov map[string]string) []string {
	var pairs []string
	for target, src := range ov {
		to, err := filepath.Rel(t.dir, target)
		if err != nil {
			continue
		}
		pairs = append(pairs, src, to)
		if rel, err := filepath.Rel(t.dir, src); err == nil {
			pairs = append(pairs, rel, to)
		}
	}
	r := strings.NewReplacer(pairs...)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = r.Replace(l)
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

// errNoGo reports a missing go command in words.
var errNoGo = errors.New("the go command is not on your PATH: install Go from https://go.dev/dl/ (1.25 or newer)")
