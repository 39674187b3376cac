package runner

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"workbook/internal/lesson"
)

// BuildKind is the kind of a compile error that stands between the checks
// and the learner's file.
type BuildKind int

const (
	// BuildOther is any other compile error: the compiler's words are
	// clear enough.
	BuildOther BuildKind = iota
	// BuildMissing: the checks use a name the learner's file does not
	// declare (deleted, renamed, or unexported: the checks, in a package
	// of their own, see only exported names).
	BuildMissing
	// BuildSignature: the checks call a function, or use a value, of the
	// learner's file in the shape the lesson gave it, and the file now
	// declares it in another (other parameters or results, another type).
	BuildSignature
	// BuildMember: the checks use a field or method of a type of the
	// learner's file that the type no longer has.
	BuildMember
	// BuildRedeclared: a name is declared twice in the lesson's package.
	BuildRedeclared
)

// BuildProblem is one compile error, told as what stands between the
// checks and the learner's file. Positions are file:line:column as the
// compiler gives them, relative to the workbook's root.
type BuildProblem struct {
	Kind BuildKind
	// Name is the name concerned as the learner's file spells it:
	// "Migrate", or "UserReport.Owner" for a field or method.
	Name string
	// At is where the compiler found the error: in a check file for
	// BuildMissing, BuildSignature and BuildMember.
	At string
	// Declared is where the learner's file declares Name (for BuildMember,
	// the type), or "" when it does not; for BuildRedeclared, the other
	// declaration.
	Declared string
	// Have is the learner's declaration of Name, as Go ("func Migrate(db
	// *sqlx.DB, x int) error"); Want is the lesson's, from the file as
	// shipped; either is "" when unknown.
	Have, Want string
	// Similar is a declaration of the learner's that differs from Name
	// only in case ("migrate" for "Migrate"), with where it stands.
	Similar, SimilarAt string
	// Lines are the compiler's lines of this error.
	Lines []string
}

// InChecks reports whether the error lies in the lesson's checks, not in
// the learner's file.
func (p BuildProblem) InChecks() bool { return strings.Contains(p.At, "_test.go:") }

var (
	reUndefined  = regexp.MustCompile(`^(.+?\.go:\d+:\d+): undefined: (?:\w+\.)?(\w+)$`)
	reNoMember   = regexp.MustCompile(`^(.+?\.go:\d+:\d+): .* undefined \(type \*?(?:\w+\.)?(\w+) has no field or method (\w+)`)
	reUnknown    = regexp.MustCompile(`^(.+?\.go:\d+:\d+): unknown field (\w+) in struct literal of type (?:\w+\.)?(\w+)`)
	reArgs       = regexp.MustCompile(`^(.+?\.go:\d+:\d+): (?:not enough|too many) arguments in call to (?:\w+\.)?(\w+)$`)
	reArgType    = regexp.MustCompile(`^(.+?\.go:\d+:\d+): cannot use .* in argument to (?:\w+\.)?(\w+)$`)
	reResults    = regexp.MustCompile(`^(.+?\.go:\d+:\d+): assignment mismatch: .* but (?:\w+\.)?(\w+)\(.*\) returns \d+ values?$`)
	reAssign     = regexp.MustCompile(`^(.+?\.go:\d+:\d+): cannot assign to (?:\w+\.)?(\w+) \(`)
	reNoValue    = regexp.MustCompile(`^(.+?\.go:\d+:\d+): (?:\w+\.)?(\w+)\(.*\) \(no value\) used as value$`)
	reRedeclared = regexp.MustCompile(`^(.+?\.go:\d+:\d+): (\w+) redeclared in this block$`)
	reOtherDecl  = regexp.MustCompile(`^\s+(.+?\.go:\d+:\d+): other declaration of \w+$`)
)

// ExplainBuild sorts the compiler's messages of a lesson that did not build
// into problems, one per error, and finds in the learner's files (in the
// lesson's folder) and in the file as shipped what each concerns. An error
// it does not recognize is a BuildOther with the compiler's lines.
func ExplainBuild(l *lesson.Lesson, lines []string) []BuildProblem {
	var out []BuildProblem
	for _, group := range groupLines(lines) {
		out = append(out, explainOne(l, group))
	}
	return out
}

// groupLines gathers each compiler message with the indented lines that
// follow it (have/want, other declaration).
func groupLines(lines []string) [][]string {
	var groups [][]string
	for _, line := range lines {
		if len(groups) > 0 && (strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    ")) {
			groups[len(groups)-1] = append(groups[len(groups)-1], line)
			continue
		}
		groups = append(groups, []string{line})
	}
	return groups
}

func explainOne(l *lesson.Lesson, group []string) BuildProblem {
	p := BuildProblem{Kind: BuildOther, Lines: group}
	first := group[0]
	match := func(re *regexp.Regexp) []string { return re.FindStringSubmatch(first) }
	if m := match(reRedeclared); m != nil {
		p.Kind, p.At, p.Name = BuildRedeclared, m[1], m[2]
		for _, g := range group[1:] {
			if o := reOtherDecl.FindStringSubmatch(g); o != nil {
				p.Declared = o[1]
			}
		}
		return p
	}
	inChecks := strings.Contains(first, "_test.go:")
	if !inChecks || l == nil {
		return p
	}
	if m := match(reUndefined); m != nil {
		p.Kind, p.At, p.Name = BuildMissing, m[1], m[2]
	} else if m := match(reNoMember); m != nil {
		p.Kind, p.At, p.Name = BuildMember, m[1], m[2]+"."+m[3]
	} else if m := match(reUnknown); m != nil {
		p.Kind, p.At, p.Name = BuildMember, m[1], m[3]+"."+m[2]
	} else {
		for _, re := range []*regexp.Regexp{reArgs, reArgType, reResults, reNoValue, reAssign} {
			if m := match(re); m != nil {
				p.Kind, p.At, p.Name = BuildSignature, m[1], m[2]
				break
			}
		}
	}
	if p.Kind == BuildOther {
		return p
	}
	learner := declarations(l, l.LearnerPaths())
	shipped := declarations(l, shippedPaths(l))
	top, _, _ := strings.Cut(p.Name, ".")
	if d, ok := learner[top]; ok {
		p.Declared = d.at
		if p.Kind != BuildMember {
			p.Have = d.text
		}
	}
	if d, ok := shipped[top]; ok && p.Kind != BuildMember {
		p.Want = d.text
	}
	if p.Kind == BuildMissing {
		for name, d := range learner {
			if name != top && strings.EqualFold(name, top) {
				p.Similar, p.SimilarAt = name, d.at
			}
		}
	}
	return p
}

func shippedPaths(l *lesson.Lesson) []string {
	var out []string
	for _, f := range l.Files {
		out = append(out, l.ShippedPath(f))
	}
	return out
}

// declaration is a top-level declaration of a file: where it stands
// (relative to the workbook's root) and, for a function, its signature.
type declaration struct {
	at   string
	text string
}

// declarations returns the top-level declarations of the Go files at
// paths, by name. Files that cannot be read or parsed are left out.
func declarations(l *lesson.Lesson, paths []string) map[string]declaration {
	out := map[string]declaration{}
	fset := token.NewFileSet()
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		af, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if af == nil {
			continue
		}
		rel := path
		if r, err := filepath.Rel(l.Root(), path); err == nil {
			rel = filepath.ToSlash(r)
		}
		at := func(pos token.Pos) string {
			p := fset.Position(pos)
			return rel + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					continue
				}
				sig := &ast.FuncDecl{Name: d.Name, Type: d.Type}
				out[d.Name.Name] = declaration{at: at(d.Name.Pos()), text: show(fset, sig)}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						out[s.Name.Name] = declaration{at: at(s.Name.Pos())}
					case *ast.ValueSpec:
						for i, n := range s.Names {
							text := ""
							switch {
							case s.Type != nil:
								text = d.Tok.String() + " " + n.Name + " " + show(fset, s.Type)
							case len(s.Values) == len(s.Names):
								text = d.Tok.String() + " " + n.Name + " = " + show(fset, s.Values[i])
							}
							out[n.Name] = declaration{at: at(n.Pos()), text: text}
						}
					}
				}
			}
		}
	}
	return out
}

func show(fset *token.FileSet, node any) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, node); err != nil {
		return ""
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
