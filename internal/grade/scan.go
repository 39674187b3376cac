package grade

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"workbook/internal/lesson"
	"workbook/internal/protocol"
)

// scanFile returns the constructs in a learner's file that reach past what
// the checks give it, as flags for the instructor; name is the file's path
// in the submission. A file that does not parse yields none (the compiler
// reports it).
//
// It also reports whether the file must be built in a program of its own:
// when it runs code as its package initializes (an init function, a
// package variable set by a call), its code would run in the processes of
// the other learners' lessons linked into a shared program. What reaches
// the program's memory (unsafe, //go:linkname, cgo, syscall, …) is not
// flagged here: refusals refuses it, and the file is not built at all.
func scanFile(name string, src []byte) (flags []Flag, alone bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, true
	}
	add := func(pos token.Pos, kind, format string, args ...any) {
		flags = append(flags, Flag{Kind: kind, File: name, Line: fset.Position(pos).Line, Message: fmt.Sprintf(format, args...)})
	}
	imports := map[string]string{} // local name → import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		imports[localName(imp, p)] = p
		switch {
		case deniedImport(p) != "":
			// Refused, not built (refusals); its flag comes from there.
		case p == "os/exec":
			add(imp.Pos(), FlagSystem, "imports %s, which starts programs; no lesson needs it", p)
		case p == "net" || strings.HasPrefix(p, "net/"):
			add(imp.Pos(), FlagSystem, "imports %s: no lesson needs the network", p)
		case p == "workbook" || strings.HasPrefix(p, "workbook/"):
			add(imp.Pos(), FlagWorkbook, "imports the workbook's own package %s, which the checks use", p)
		}
	}
	// What runs as the package initializes: init functions and the
	// values of package variables (those in functions run when called).
	names := fileNames{consts: constNames(f), untyped: untypedNames(f), declared: declaredNames(f)}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "init" {
				alone = true
			}
		case *ast.GenDecl:
			if d.Tok == token.VAR {
				for _, spec := range d.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						if !pure(v, imports, names) {
							alone = true
						}
					}
				}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				s, _ := strconv.Unquote(n.Value)
				switch {
				case strings.Contains(s, "/proc/"):
					add(n.Pos(), FlagProcess, "names /proc, where a program reads its own environment and memory")
				case strings.Contains(s, protocol.EnvPrefix):
					add(n.Pos(), FlagProcess, "names the workbook's variable %q", s)
				}
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				scanQualified(imports[id.Name], n.Sel.Name, n.Pos(), add)
			}
			switch n.Sel.Name {
			case "SQLite":
				add(n.Pos(), FlagOwnConnection, "calls SQLite(), which reaches the SQLite connection under the counted one: its statements are not counted")
			case "Raw":
				add(n.Pos(), FlagOwnConnection, "calls Raw, which reaches the driver's connection under the counted handle")
			}
		case *ast.CallExpr:
			scanOpen(n, imports, add)
		}
		return true
	})
	return flags, alone
}

// pureCalls are the functions a package variable may be set with, given
// constant arguments, and still run nothing of the learner's as the
// package initializes: with constants for arguments they cannot reach a
// method of the learner's (a String or Error method, as fmt would call for
// a value of the learner's type).
var pureCalls = map[string]map[string]bool{
	"errors": {"New": true},
	"fmt":    {"Errorf": true, "Sprintf": true},
	"regexp": {"MustCompile": true},
}

// pureNames are the builtins and conversions a package variable may call.
var pureNames = map[string]bool{
	"make": true, "new": true, "len": true,
	"string": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "float32": true, "float64": true,
	"byte": true, "rune": true, "bool": true,
}

// pure reports whether evaluating e, a package variable's value, surely
// runs no code but the few functions known to be harmless, and cannot
// panic: constants (literals, the file's own constants, names qualified by
// an imported package), operators on them, composite literals of them,
// function literals (values, not calls), and the calls of pureCalls and
// pureNames with such arguments. Anything else (a variable's field, an
// index, a method, a call of the learner's) may run or panic, and is not.
// consts holds the names the file declares as constants.
//
// A builtin the file declares a name of its own for (a func len) is the
// learner's code, and the arguments of the fmt and errors calls must be
// literals: a name may be a typed constant whose String or Error method fmt
// would call. make's sizes must be small literals: a huge one fails as the
// program starts.
func pure(e ast.Expr, imports map[string]string, names fileNames) bool {
	consts := names.consts
	switch e := e.(type) {
	case nil:
		return true
	case *ast.BasicLit, *ast.FuncLit:
		return true
	case *ast.Ident:
		switch e.Name {
		case "true", "false", "nil", "iota":
			return true
		}
		return consts[e.Name]
	case *ast.ParenExpr:
		return pure(e.X, imports, names)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			_, lit := e.X.(*ast.CompositeLit)
			return lit && pure(e.X, imports, names)
		}
		return e.Op != token.ARROW && pure(e.X, imports, names)
	case *ast.BinaryExpr:
		return pure(e.X, imports, names) && pure(e.Y, imports, names)
	case *ast.SelectorExpr:
		id, ok := e.X.(*ast.Ident)
		return ok && imports[id.Name] != "" && !consts[id.Name]
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if _, field := kv.Key.(*ast.Ident); !field && !pure(kv.Key, imports, names) {
					return false
				}
				elt = kv.Value
			}
			if !pure(elt, imports, names) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		args := e.Args
		switch fun := e.Fun.(type) {
		case *ast.Ident:
			if !pureNames[fun.Name] || names.declared[fun.Name] {
				return false
			}
			if (fun.Name == "make" || fun.Name == "new") && len(args) > 0 {
				args = args[1:] // a type
				for _, a := range args {
					if !smallInt(a) {
						return false
					}
				}
			}
		case *ast.SelectorExpr:
			id, ok := fun.X.(*ast.Ident)
			if !ok || !pureCalls[imports[id.Name]][fun.Sel.Name] {
				return false
			}
			if imports[id.Name] == "regexp" && !compiles(args) {
				return false // MustCompile would panic as the program starts
			}
			for _, a := range args {
				if !names.literal(a) {
					return false
				}
			}
		default:
			return false
		}
		if e.Ellipsis.IsValid() {
			return false
		}
		for _, a := range args {
			if !pure(a, imports, names) {
				return false
			}
		}
		return true
	}
	return false
}

// fileNames are the names a file declares at package level: its
// constants, those of them untyped and set to literals, and every name it
// declares (functions, types, variables, constants).
type fileNames struct {
	consts, untyped, declared map[string]bool
}

// literal reports whether e is made of literals, untyped constants set to
// literals, and operators only: nothing that has a method.
func (n fileNames) literal(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return n.untyped[e.Name]
	case *ast.ParenExpr:
		return n.literal(e.X)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && e.Op != token.AND && n.literal(e.X)
	case *ast.BinaryExpr:
		return n.literal(e.X) && n.literal(e.Y)
	}
	return false
}

// untypedNames returns the constants f declares without a type, each set
// to a literal (a constant in a group that names no value takes the type
// of the one before, so it is left out).
func untypedNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	bare := fileNames{untyped: names}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if vs.Type != nil || len(vs.Values) != len(vs.Names) {
				continue
			}
			for i, n := range vs.Names {
				if bare.literal(vs.Values[i]) {
					names[n.Name] = true
				}
			}
		}
	}
	return names
}

// maxInitSize bounds the sizes make may be given at package level and the
// file still count as running nothing at start-up.
const maxInitSize = 1 << 20

// smallInt reports whether e is an integer literal no larger than
// maxInitSize.
func smallInt(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(lit.Value, "_", ""), 0, 64)
	return err == nil && n >= 0 && n <= maxInitSize
}

// declaredNames returns every name f declares at package level.
func declaredNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					names[sp.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						names[n.Name] = true
					}
				}
			}
		}
	}
	return names
}

// compiles reports whether args is one string literal that is a regular
// expression.
func compiles(args []ast.Expr) bool {
	if len(args) != 1 {
		return false
	}
	lit, ok := args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return false
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return false
	}
	_, err = regexp.Compile(s)
	return err == nil
}

// constNames returns the names f declares as constants at package level.
func constNames(f *ast.File) map[string]bool {
	consts := map[string]bool{}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.CONST {
			for _, spec := range gd.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					consts[n.Name] = true
				}
			}
		}
	}
	return consts
}

// fileImport is one import of a learner's file.
type fileImport struct {
	path string
	line int
}

// importsOf returns the imports of a Go file; nil when it does not parse.
func importsOf(src []byte) []fileImport {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	var out []fileImport
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err == nil {
			out = append(out, fileImport{path: p, line: fset.Position(imp.Pos()).Line})
		}
	}
	return out
}

// alwaysAllowed are the packages beside the standard library that any
// learner's file may import: the database packages every lesson uses.
var alwaysAllowed = map[string]bool{"github.com/jmoiron/sqlx": true, "github.com/mattn/go-sqlite3": true}

// deniedImports are the packages no learner's file may import, the
// standard library's included, whatever its lesson's own files import: each
// reaches the memory of the program the checks run in (the run's signing
// key, the expected results, and in a shared program every classmate's
// code and SQL), and no lesson needs any of them. Each maps to why.
var deniedImports = map[string]string{
	"unsafe":        "it can read and change any memory of the program, the grader's expected results and signing key among it",
	"syscall":       "it calls the kernel directly (process_vm_readv, ptrace, prctl), which can read the grader's memory",
	"runtime":       "its GOMAXPROCS lets goroutines run in parallel again, and a data race between parallel goroutines can read any memory of the program (graded programs run on one thread, where a race cannot tear a value)",
	"runtime/debug": "its WriteHeapDump writes the program's memory, the grader's expected results and signing key among it, to a file",
	"runtime/cgo":   "it links C code, which can read the grader's memory",
	"plugin":        "it loads code that runs in the grader's process",
	"C":             "cgo runs C code, which can read the grader's memory",
}

// importRule is why an import outside what allowedImport allows is
// refused.
const importRule = "a learner's file may import only the standard library, sqlx, go-sqlite3 and what its lesson's own files import"

// uncountedImports are the packages with which code could run statements
// on a connection nobody counts (a go-sqlite3 connection of its own, or the
// one under the counted handle): refused unless the lesson's own files
// import them, which none does. Each maps to why.
var uncountedImports = map[string]string{
	"reflect":             "it reaches methods and types by name at run time, a connection's that no statement count sees among them",
	"database/sql/driver": "it drives a database connection directly, under the handle whose statements the checks count",
}

// localName returns the name the package imp imports (at path) goes by in
// its file: the name it is given, or the package's own, which for the
// packages learners import is the path's last element but for go-sqlite3.
func localName(imp *ast.ImportSpec, path string) string {
	if imp.Name != nil {
		return imp.Name.Name
	}
	if path == "github.com/mattn/go-sqlite3" {
		return "sqlite3"
	}
	return path[strings.LastIndex(path, "/")+1:]
}

// uncountedNames refuses the names of go-sqlite3 and database/sql that open
// a connection of the code's own, which counts nothing: the driver and
// connection types of go-sqlite3, and sql.Register.
func uncountedNames(f *ast.File, fset *token.FileSet) []refusal {
	local := map[string]string{} // the name a package goes by in f, to its path
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		local[localName(imp, p)] = p
	}
	denied := map[string]bool{
		"github.com/mattn/go-sqlite3.SQLiteDriver": true,
		"github.com/mattn/go-sqlite3.SQLiteConn":   true,
		"database/sql.Register":                    true,
		"database/sql.OpenDB":                      true,
	}
	var out []refusal
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if p, ok := local[x.Name]; ok && denied[p+"."+sel.Sel.Name] {
			out = append(out, refusal{line: fset.Position(sel.Pos()).Line, what: x.Name + "." + sel.Sel.Name,
				why: "it makes a database connection of the code's own, whose statements nobody counts: use the handle the check gives you"})
		}
		return true
	})
	return out
}

// deniedImport returns why no learner's file may import path, or "".
func deniedImport(path string) string {
	if why := deniedImports[path]; why != "" {
		return why
	}
	if path == "golang.org/x/sys" || strings.HasPrefix(path, "golang.org/x/sys/") {
		return "it calls the kernel directly (process_vm_readv, ptrace, prctl), which can read the grader's memory"
	}
	return ""
}

// allowedDirectives are the //go: directives a learner's file may hold:
// those that change nothing in the compiled program. Every other one is
// refused: //go:linkname reaches any function or variable of the program
// (the checker's, a classmate's), //go:embed copies files of the lesson's
// folder into it, and the rest (noescape, nosplit, …) serve code no lesson
// needs.
var allowedDirectives = map[string]bool{"build": true, "generate": true}

// refusal is one construct of a learner's file that grading will not build.
type refusal struct {
	line int
	what string // the import or directive, as written
	why  string // why, after "grading does not allow <what>: "
	// memory: it reaches the program's memory (flagged FlagUnsafe), not
	// merely a package the lesson does not allow (FlagImport).
	memory bool
}

// refusals returns what in a learner's file grading refuses to build, in
// the order of the file: an import of deniedImports (the standard
// library's included), an import allowedImport does not allow, and a
// //go: directive other than allowedDirectives. module is the workbook's
// module; lessonAllows the imports the lesson's own files make. A file that
// does not parse is still searched for directives line by line, so that
// no difference between go/parser and the compiler lets one through (the
// compiler reports the rest).
func refusals(src []byte, module string, lessonAllows map[string]bool) []refusal {
	var out []refusal
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		for i, line := range strings.Split(string(src), "\n") {
			if _, rest, ok := strings.Cut(line, "//go:"); ok {
				if r, bad := directive(rest); bad {
					r.line = i + 1
					out = append(out, r)
				}
			}
		}
		return out
	}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		line := fset.Position(imp.Pos()).Line
		switch {
		case deniedImport(p) != "":
			out = append(out, refusal{line: line, what: p, why: deniedImport(p), memory: true})
		case !allowedImport(p, module, lessonAllows):
			out = append(out, refusal{line: line, what: p, why: importRule})
		case uncountedImports[p] != "" && !lessonAllows[p]:
			out = append(out, refusal{line: line, what: p, why: uncountedImports[p]})
		case imp.Name != nil && imp.Name.Name == ".":
			out = append(out, refusal{line: line, what: ". " + strconv.Quote(p),
				why: "a dot import hides which package each name comes from, and grading reads every name of a learner's file"})
		}
	}
	out = append(out, uncountedNames(f, fset)...)
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if rest, ok := strings.CutPrefix(c.Text, "//go:"); ok {
				if r, bad := directive(rest); bad {
					r.line = fset.Position(c.Pos()).Line
					out = append(out, r)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}

// directive reports whether the //go: directive whose text after "//go:"
// is rest is refused, and why.
func directive(rest string) (refusal, bool) {
	name := rest
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		name = rest[:i]
	}
	if allowedDirectives[name] {
		return refusal{}, false
	}
	why := "it changes how the program is compiled or linked, which no lesson needs"
	switch name {
	case "linkname":
		why = "it reaches any function or variable of the program by name, the grader's and a classmate's among them"
	case "embed":
		why = "it copies files of the grader's build folder into your program"
	}
	return refusal{what: "//go:" + name, why: why, memory: true}, true
}

// allowedImport reports whether a learner's file may import path: the
// standard library (not cgo's "C"), the database packages, or what the
// lesson's own shipped and reference files import (lessonAllows). Nothing
// of the workbook's module, so no student's package can import another's
// in a shared program (workbook/gradebatch/u0001), nor the checker. The
// packages of deniedImport are refused before it is asked (refusals).
func allowedImport(path, module string, lessonAllows map[string]bool) bool {
	if alwaysAllowed[path] || lessonAllows[path] {
		return true
	}
	first, _, _ := strings.Cut(path, "/")
	return path != "C" && !strings.Contains(first, ".") && first != module && path != module &&
		!strings.HasPrefix(path, module+"/")
}

// scanQualified flags a use of pkg.name.
func scanQualified(pkg, name string, pos token.Pos, add func(token.Pos, string, string, ...any)) {
	switch pkg {
	case "github.com/mattn/go-sqlite3":
		if name == "SQLiteDriver" || name == "SQLiteConn" {
			add(pos, FlagOwnConnection, "uses sqlite3.%s, the driver underneath the counted one: its statements are not counted", name)
		}
	case "os":
		switch name {
		case "Open", "OpenFile", "ReadFile", "WriteFile", "Create", "CreateTemp", "Remove", "RemoveAll", "Rename",
			"Chmod", "Chtimes", "Chdir", "ReadDir", "Link", "Symlink", "Truncate", "Mkdir", "MkdirAll", "MkdirTemp", "DirFS", "CopyFS":
			add(pos, FlagFiles, "calls os.%s: the checks hand your code all it needs through the database handle", name)
		case "Exit":
			add(pos, FlagProcess, "calls os.Exit, which ends the test program")
		case "Getenv", "LookupEnv", "Environ", "Setenv", "Unsetenv", "Clearenv", "Getpid", "Getppid", "FindProcess", "StartProcess":
			add(pos, FlagProcess, "calls os.%s: no lesson needs the program's environment or other processes", name)
		}
	case "io/ioutil":
		add(pos, FlagFiles, "calls ioutil.%s, which reads or writes files", name)
	case "path/filepath":
		if name == "Walk" || name == "WalkDir" || name == "Glob" {
			add(pos, FlagFiles, "calls filepath.%s, which searches the disk", name)
		}
	case "runtime":
		if name == "Goexit" {
			add(pos, FlagProcess, "calls runtime.Goexit, which ends the check's goroutine without returning")
		}
	}
}

// openFuncs are the functions that open a database handle, by package.
var openFuncs = map[string]map[string]bool{
	"database/sql":            {"Open": true, "OpenDB": true},
	"github.com/jmoiron/sqlx": {"Open": true, "MustOpen": true, "Connect": true, "MustConnect": true, "ConnectContext": true},
}

// scanOpen flags a call that opens a database handle with any driver but
// the counted one a lesson hands its learner (the driverName variable).
func scanOpen(call *ast.CallExpr, imports map[string]string, add func(token.Pos, string, string, ...any)) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || !openFuncs[imports[id.Name]][sel.Sel.Name] {
		return
	}
	if sel.Sel.Name == "OpenDB" {
		add(call.Pos(), FlagOwnConnection, "calls sql.OpenDB, which opens a database connection of its own: its statements are not counted")
		return
	}
	driver := "?"
	if len(call.Args) > 0 {
		if d, ok := call.Args[0].(*ast.Ident); ok && d.Name == "driverName" {
			return
		}
		driver = exprText(call.Args[0])
	}
	add(call.Pos(), FlagOwnConnection, "calls %s.%s(%s, …), which opens a database connection of its own rather than use the handle the check gives (or the driverName it sets): its statements are not counted",
		id.Name, sel.Sel.Name, driver)
}

func exprText(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Value
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprText(e.X) + "." + e.Sel.Name
	}
	return "…"
}

// lessonAllows returns what a learner's file of l may import beyond the
// standard library and the database packages: what the lesson's own files
// import, as shipped, and its reference solution. module is the
// workbook's module, whose packages are never allowed this way.
func lessonAllows(l *lesson.Lesson, module string) map[string]bool {
	out := map[string]bool{}
	learner := map[string]bool{}
	for _, p := range l.LearnerPaths() {
		learner[p] = true
	}
	files, _ := filepath.Glob(filepath.Join(l.Dir, "*.go"))
	for _, f := range l.Files {
		files = append(files, l.ShippedPath(f), l.SolutionPath(f))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || learner[f] {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, imp := range importsOf(src) {
			if !strings.HasPrefix(imp.path, module+"/") && imp.path != "C" {
				out[imp.path] = true
			}
		}
	}
	return out
}

// Refusals returns what grading would refuse to build in lesson l's
// learner's files as they are now, one sentence each with the file and
// line ("lessons/07-n-plus-one/report.go:12: sql.Register …"), so that
// workbook run can say so before a run whose verdict grading would not
// give. root is the workbook's root.
func Refusals(l *lesson.Lesson, root string) ([]string, error) {
	module, err := lesson.ModulePath(root)
	if err != nil {
		return nil, err
	}
	allows := lessonAllows(l, module)
	var out []string
	for _, path := range l.LearnerPaths() {
		src, err := os.ReadFile(path)
		if err != nil {
			continue // the run says the file is missing
		}
		for _, r := range refusals(src, module, allows) {
			what := r.why
			if r.why == importRule {
				what = "a learner's file may import only the standard library, sqlx, go-sqlite3 and what the lesson itself imports"
			}
			out = append(out, fmt.Sprintf("%s:%d: %s is not allowed: %s.", filepath.ToSlash(l.Rel(path)), r.line, r.what, what))
		}
	}
	return out, nil
}
