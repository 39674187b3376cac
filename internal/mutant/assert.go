package mutant

import (
	"go/ast"
	"go/token"
)

// reportMethods are the methods of a testing handle that report a failure.
var reportMethods = map[string]bool{"Errorf": true, "Fatalf": true, "Error": true, "Fatal": true, "Fail": true, "FailNow": true}

// assertEdits weakens each assertion of a test suite a learner writes
// (lesson 17's contract): every if statement whose body reports a failure
// through a testing handle (t.Errorf, t.Fatalf, …) gets the condition
// false, so that the assertion never fires. An if on err != nil alone is a
// guard for an error the implementation returned, not an assertion about
// what it did, and is left alone. A solution that is an implementation,
// not tests, reports nothing this way and gets no such mutant.
func assertEdits(fn string, body ast.Node, src []byte, off func(token.Pos) int) []edit {
	text := func(n ast.Node) string { return string(src[off(n.Pos()):off(n.End())]) }
	var out []edit
	ast.Inspect(body, func(n ast.Node) bool {
		is, ok := n.(*ast.IfStmt)
		if !ok || !reports(is.Body) || errGuard(is.Cond) {
			return true
		}
		out = append(out, edit{op: "drop-assert", fn: fn, what: "if " + firstLine(text(is.Cond)) + " → if false",
			start: off(is.Cond.Pos()), end: off(is.Cond.End()), with: "false", unit: text(is.Cond) + "\x00false"})
		return true
	})
	return out
}

// reports reports whether block calls a report method of a testing
// handle directly (not fmt.Errorf, which makes an error).
func reports(block *ast.BlockStmt) bool {
	found := false
	for _, s := range block.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := es.X.(*ast.CallExpr)
		if !ok {
			continue
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !reportMethods[sel.Sel.Name] {
			continue
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name != "fmt" {
			found = true
		}
	}
	return found
}

// errGuard reports whether cond is err != nil, for any name of the error.
func errGuard(cond ast.Expr) bool {
	b, ok := cond.(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return false
	}
	x, xok := b.X.(*ast.Ident)
	return xok && isIdent(b.Y, "nil") && (x.Name == "err" || len(x.Name) > 3 && x.Name[len(x.Name)-3:] == "Err")
}
