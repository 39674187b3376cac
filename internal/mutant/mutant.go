// Package mutant makes mutants of a Go file: copies that each change one
// place, the way a plausible wrong answer would. workbook dev mutants runs
// a lesson's checks on the mutants of its reference solution; a mutant the
// checks pass is a wrong answer they would let through, or an equivalent
// one the lesson lists as such.
//
//	ms, err := mutant.Make("report.go", src)
//	for _, m := range ms {
//		fmt.Println(m.ID, m.What) // drop-order-key-1a2b3c4d  ORDER BY key e.id dropped
//	}
//
// SQL operators act on every string literal (raw, interpreted, or a
// concatenation of them) that reads as a statement, through a tokenizer that
// knows strings, quoted names, parentheses and comments: drop each ORDER BY
// key, flip each direction, JOIN ↔ LEFT JOIN, drop DISTINCT, >= ↔ > and
// <= ↔ <, drop each WHERE or ON conjunct, count(*) ↔ count(col), sum ↔ count
// ↔ avg, an aggregate of one argument made DISTINCT (sum(x) → sum(DISTINCT
// x), and count, avg, total, group_concat), drop LIMIT, swap ON DELETE
// actions. Go operators act on the syntax tree: an error return made nil, a Commit or Rollback removed, a statement
// that queries before a loop repeated in its body, a returned slice cut by
// one.
package mutant

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// Mutant is one changed copy of a file.
type Mutant struct {
	// ID names the mutant stably: its operator and a hash of the function
	// it changes and of what that place becomes, so that it stays the same
	// when other parts of the file change. Lessons list equivalent mutants
	// by it.
	ID string
	// Op is the operator: drop-order-key, flip-direction, join, left-join,
	// drop-distinct, compare, drop-where, drop-on, count-star, aggregate,
	// distinct-aggregate, drop-limit, on-delete, err-nil, drop-tx,
	// loop-statement, truncate, drop-assert.
	Op string
	// Func is the function it changes; What says how, in a few words.
	Func string
	What string
	// Source is the whole changed file, gofmt'ed.
	Source []byte
}

// edit is one change to the file: bytes [start, end) become with.
type edit struct {
	op, fn, what string
	start, end   int
	with         string
	unit         string // what the place becomes, for the ID
}

// Make returns the mutants of the Go file src (called name, for messages),
// in the order of the places they change, without duplicates.
func Make(name string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("mutant: %w", err)
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	var edits []edit
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil {
				edits = append(edits, sqlEdits(declName(d), d.Body, src, off)...)
				edits = append(edits, goEdits(declName(d), d, src, off)...)
				edits = append(edits, assertEdits(declName(d), d.Body, src, off)...)
			}
		case *ast.GenDecl: // statements in constants and variables
			for _, spec := range d.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for k, v := range vs.Values {
						name := "_"
						if k < len(vs.Names) {
							name = vs.Names[k].Name
						}
						edits = append(edits, sqlEdits(name, v, src, off)...)
					}
				}
			}
		}
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out []Mutant
	seen := map[string]bool{}
	ids := map[string]int{}
	for _, e := range edits {
		changed := append(append(append([]byte{}, src[:e.start]...), e.with...), src[e.end:]...)
		formatted, err := format.Source(changed)
		if err != nil || bytes.Equal(formatted, src) || seen[string(formatted)] {
			continue
		}
		seen[string(formatted)] = true
		h := sha256.Sum256([]byte(e.op + "\x00" + e.fn + "\x00" + strings.Join(strings.Fields(e.unit), " ")))
		id := e.op + "-" + hex.EncodeToString(h[:4])
		if ids[id]++; ids[id] > 1 {
			id = fmt.Sprintf("%s-%d", id, ids[id])
		}
		out = append(out, Mutant{ID: id, Op: e.op, Func: e.fn, What: e.what, Source: formatted})
	}
	return out, nil
}

// declName is a function's name, or a method's with its receiver's type:
// EmailTakenError.Unwrap.
func declName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

// Given returns the names of the functions, methods, constants and
// variables that src declares exactly as shipped does: code the lesson
// gives the learner rather than asks of them. Mutants of it test the
// lesson's scaffolding, not the learner's answer; a parse error in either
// gives none.
func Given(src, shipped []byte) map[string]bool {
	a, b := decls(src), decls(shipped)
	given := map[string]bool{}
	for name, text := range a {
		if other, ok := b[name]; ok && other == text {
			given[name] = true
		}
	}
	return given
}

// decls returns the source of each top-level declaration of src by name.
func decls(src []byte) map[string]string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	text := func(n ast.Node) string {
		return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			out[declName(d)] = text(d)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for _, n := range vs.Names {
						if n.Name != "_" {
							out[n.Name] = text(vs)
						}
					}
				}
			}
		}
	}
	return out
}

// sqlEdits returns the SQL mutants of the statements in the string
// literals under body.
func sqlEdits(fn string, body ast.Node, src []byte, off func(token.Pos) int) []edit {
	var out []edit
	ast.Inspect(body, func(n ast.Node) bool {
		var lits []*ast.BasicLit
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if lits = concatenation(n); lits == nil {
				return true
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			lits = []*ast.BasicLit{n}
		default:
			return true
		}
		// The statement, and where each literal's value starts in it.
		var sql strings.Builder
		var starts []int
		for _, l := range lits {
			v, err := strconv.Unquote(l.Value)
			if err != nil {
				return false
			}
			starts = append(starts, sql.Len())
			sql.WriteString(v)
		}
		s := sql.String()
		if !isSQL(s) {
			return false
		}
		for _, se := range sqlMutants(s) {
			mutated := se.apply(s)
			e := edit{op: se.op, fn: fn, what: se.what, unit: mutated}
			// A change inside one literal changes that literal only;
			// otherwise the whole expression becomes one literal.
			k := sort.SearchInts(starts, se.start+1) - 1
			if k >= 0 && (k+1 == len(starts) || se.end <= starts[k+1]) {
				l := lits[k]
				v := s[starts[k]:]
				if k+1 < len(starts) {
					v = s[starts[k]:starts[k+1]]
				}
				v = v[:se.start-starts[k]] + se.with + v[se.end-starts[k]:]
				e.start, e.end, e.with = off(l.Pos()), off(l.End()), quote(v, l.Value[0] == '`')
			} else {
				e.start, e.end, e.with = off(lits[0].Pos()), off(lits[len(lits)-1].End()), quote(mutated, lits[0].Value[0] == '`')
			}
			out = append(out, e)
		}
		return false
	})
	return out
}

// concatenation returns the literals of a + b + … when every operand is a
// string literal, else nil.
func concatenation(b *ast.BinaryExpr) []*ast.BasicLit {
	if b.Op != token.ADD {
		return nil
	}
	var lits []*ast.BasicLit
	for _, x := range []ast.Expr{b.X, b.Y} {
		switch x := ast.Unparen(x).(type) {
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return nil
			}
			lits = append(lits, x)
		case *ast.BinaryExpr:
			inner := concatenation(x)
			if inner == nil {
				return nil
			}
			lits = append(lits, inner...)
		default:
			return nil
		}
	}
	return lits
}

// quote writes s as a raw literal when raw and it can, else as an
// interpreted one.
func quote(s string, raw bool) string {
	if raw && !strings.ContainsAny(s, "`\r") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// dbMethods are the calls that send a statement to the database.
var dbMethods = map[string]bool{
	"Select": true, "Get": true, "Exec": true, "Query": true, "QueryRow": true, "Queryx": true, "QueryRowx": true,
	"MustExec": true, "NamedExec": true, "NamedQuery": true, "SelectContext": true, "GetContext": true,
	"ExecContext": true, "QueryContext": true, "QueryRowContext": true,
}

// goEdits returns the Go mutants of fd.
func goEdits(fn string, fd *ast.FuncDecl, src []byte, off func(token.Pos) int) []edit {
	var results []ast.Expr // the type of each result
	if fd.Type.Results != nil {
		for _, r := range fd.Type.Results.List {
			for range max(len(r.Names), 1) {
				results = append(results, r.Type)
			}
		}
	}
	text := func(n ast.Node) string { return string(src[off(n.Pos()):off(n.End())]) }
	lastIsError := len(results) > 0 && isIdent(results[len(results)-1], "error")
	var out []edit
	// Commit and Rollback calls that are statements of their own.
	own := map[*ast.CallExpr]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ExprStmt:
			if c, ok := n.X.(*ast.CallExpr); ok && isTxEnd(c) {
				own[c] = true
				start, end := wholeLine(src, off(n.Pos()), off(n.End()))
				out = append(out, edit{op: "drop-tx", fn: fn, what: text(n) + " removed", start: start, end: end, unit: "-" + text(n)})
			}
		case *ast.DeferStmt:
			if isTxEnd(n.Call) {
				own[n.Call] = true
				start, end := wholeLine(src, off(n.Pos()), off(n.End()))
				out = append(out, edit{op: "drop-tx", fn: fn, what: text(n) + " removed", start: start, end: end, unit: "-" + text(n)})
			}
		}
		return true
	})
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are not fd's
		case *ast.CallExpr:
			if isTxEnd(n) && !own[n] {
				out = append(out, edit{op: "drop-tx", fn: fn, what: text(n) + " → error(nil)", start: off(n.Pos()), end: off(n.End()), with: "error(nil)", unit: "-" + text(n)})
			}
		case *ast.ReturnStmt:
			if len(n.Results) != len(results) {
				return true
			}
			if last := n.Results[len(n.Results)-1]; lastIsError && !isIdent(last, "nil") {
				out = append(out, edit{op: "err-nil", fn: fn, what: "return …, " + text(last) + " → return …, nil",
					start: off(last.Pos()), end: off(last.End()), with: "nil", unit: text(n) + "\x00nil"})
			}
			for k, r := range n.Results {
				at, ok := results[k].(*ast.ArrayType)
				id, isID := r.(*ast.Ident)
				if ok && at.Len == nil && isID && id.Name != "nil" {
					cut := fmt.Sprintf("%s[:max(len(%s)-1, 0)]", id.Name, id.Name)
					out = append(out, edit{op: "truncate", fn: fn, what: "return " + id.Name + " → " + cut,
						start: off(r.Pos()), end: off(r.End()), with: cut, unit: text(n) + "\x00" + cut})
				}
			}
		case *ast.BlockStmt:
			out = append(out, loopEdits(fn, n, src, off)...)
		}
		return true
	})
	return out
}

// loopEdits repeats each statement of block that queries the database
// before a loop of the block at the start of the loop's body: the per-row
// statement a batched solution avoids.
func loopEdits(fn string, block *ast.BlockStmt, src []byte, off func(token.Pos) int) []edit {
	var out []edit
	for j, s := range block.List {
		var body *ast.BlockStmt
		switch l := s.(type) {
		case *ast.ForStmt:
			body = l.Body
		case *ast.RangeStmt:
			body = l.Body
		default:
			continue
		}
		for _, prev := range block.List[:j] {
			if !queries(prev) {
				continue
			}
			stmt := string(src[off(prev.Pos()):off(prev.End())])
			if a, ok := prev.(*ast.AssignStmt); ok && a.Tok == token.DEFINE {
				at := off(a.TokPos) - off(a.Pos())
				stmt = stmt[:at] + "=" + stmt[at+2:]
			}
			at := off(body.Lbrace) + 1
			out = append(out, edit{op: "loop-statement", fn: fn, what: "repeated in the loop: " + firstLine(stmt),
				start: at, end: at, with: "\n" + stmt, unit: stmt + "\x00" + string(src[off(s.Pos()):off(body.Lbrace)])})
		}
	}
	return out
}

// wholeLine widens [start, end) to its lines when nothing else stands on
// them, so that a removed statement leaves no empty line.
func wholeLine(src []byte, start, end int) (int, int) {
	ls := bytes.LastIndexByte(src[:start], '\n') + 1
	le := bytes.IndexByte(src[end:], '\n')
	if le < 0 || len(bytes.TrimSpace(src[ls:start])) > 0 || len(bytes.TrimSpace(src[end:end+le])) > 0 {
		return start, end
	}
	return ls, end + le + 1
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// queries reports whether s calls a method that sends a statement.
func queries(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && dbMethods[sel.Sel.Name] {
				found = true
			}
		}
		_, lit := n.(*ast.FuncLit)
		return !found && !lit
	})
	return found
}

// isTxEnd reports whether c is x.Commit() or x.Rollback().
func isTxEnd(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && len(c.Args) == 0 && (sel.Sel.Name == "Commit" || sel.Sel.Name == "Rollback")
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
