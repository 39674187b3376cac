package checker

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"sync"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// sites finds where in the learner's files statements were sent from. The
// log captures call stacks for the first executions of each SQL text only,
// so an execution without one is placed where its text was first sent.
type sites struct {
	cfg    *config
	byText map[string]*protocol.Site
}

func (cfg *config) sites() *sites {
	return &sites{cfg: cfg, byText: map[string]*protocol.Site{}}
}

// ofSeq returns where the entry numbered seq was sent from, or nil.
func (s *sites) ofSeq(entries []stmtlog.Entry, seq int) *protocol.Site {
	for _, e := range entries {
		if e.Seq == seq {
			return s.of(e)
		}
	}
	return nil
}

// of returns where e was sent from, or nil when no frame of its stack is in
// a file the learner edits (the checks' own statements, or a stack that was
// not captured for a text never seen with one).
func (s *sites) of(e stmtlog.Entry) *protocol.Site {
	if s == nil {
		return nil
	}
	if !e.HasCallers() {
		return s.byText[e.SQL]
	}
	var site *protocol.Site
	frames := e.Callers()
	for {
		f, more := frames.Next()
		if f.File != "" && s.cfg.isLearnerFile(f.File) {
			fn := shortFunc(f.Function)
			if site == nil {
				site = &protocol.Site{File: s.cfg.rel(f.File), Line: f.Line, Function: fn}
			}
			// The loop may be in a caller: a helper called once per user.
			if loop, at := s.cfg.loopAround(f.File, f.Line); loop != "" {
				if fn != site.Function {
					loop += " in " + fn
				}
				site.Loop, site.LoopLine = loop, at
				break
			}
		}
		if !more {
			break
		}
	}
	if site == nil {
		return s.byText[e.SQL]
	}
	if _, ok := s.byText[e.SQL]; !ok {
		s.byText[e.SQL] = site
	}
	return site
}

// sources caches the learner's files parsed for loopAround.
type sources struct {
	mu    sync.Mutex
	fset  *token.FileSet
	files map[string]*ast.File // nil for a file that does not parse
}

// loopAround describes the innermost loop around line in the learner's file
// path, as the learner wrote it: "the loop over users" for a range loop, "the
// loop at line 38" for another, with the loop's line. It returns "" when
// line is in no loop, or the file cannot be read.
func (cfg *config) loopAround(path string, line int) (string, int) {
	src := &cfg.sources
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.files == nil {
		src.fset, src.files = token.NewFileSet(), map[string]*ast.File{}
	}
	f, ok := src.files[path]
	if !ok {
		if data, err := cfg.readLearner(path); err == nil {
			f, _ = parser.ParseFile(src.fset, path, data, parser.SkipObjectResolution)
		}
		src.files[path] = f
	}
	if f == nil {
		return "", 0
	}
	var loop ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		from, to := src.fset.Position(n.Pos()).Line, src.fset.Position(n.End()).Line
		if line < from || line > to {
			return false
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loop = n
		case *ast.FuncLit:
			// A function literal's body runs when it is called, not once
			// per turn of a loop it is written in.
			loop = nil
		}
		return true
	})
	if loop == nil {
		return "", 0
	}
	at := src.fset.Position(loop.Pos()).Line
	if r, ok := loop.(*ast.RangeStmt); ok {
		var b bytes.Buffer
		if printer.Fprint(&b, src.fset, r.X) == nil && b.Len() <= 40 && !strings.Contains(b.String(), "\n") {
			return "the loop over " + b.String(), at
		}
	}
	return "the loop", at
}
