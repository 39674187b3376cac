package cli

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// An exitCall is a call in a learner's file that ends the whole program:
// os.Exit, or log.Fatal and its kin (a *log.Logger's too), which print and
// then call os.Exit(1).
type exitCall struct {
	Pos  token.Position
	Func string // as written: "log.Fatalf", "os.Exit", "logger.Fatal"
}

// exitCalls returns the calls that end the program in files, in file and
// line order. A file that does not parse is skipped: the build would have
// said so.
func exitCalls(files []string) []exitCall {
	var calls []exitCall
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			recv, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			fn := sel.Sel.Name
			if (recv.Name == "os" && fn == "Exit") || fn == "Fatal" || fn == "Fatalf" || fn == "Fatalln" {
				calls = append(calls, exitCall{Pos: fset.Position(call.Pos()), Func: recv.Name + "." + fn})
			}
			return true
		})
	}
	return calls
}

// exitNote explains a program that ended without a panic, from the calls
// in the learner's files that end it; "" when there are none. show turns a
// file's path into the one to print.
func exitNote(calls []exitCall, show func(string) string) string {
	if len(calls) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("  It ended without a panic, as a program does when something calls os.Exit, and your\n" +
		"  file has such a call:\n")
	for _, c := range calls {
		fmt.Fprintf(&b, "    %s:%d: %s\n", show(c.Pos.Filename), c.Pos.Line, c.Func)
	}
	if f := calls[0].Func; strings.Contains(f, "Fatal") {
		fmt.Fprintf(&b, "  %s prints its message and then calls os.Exit(1): that ends the whole\n  program at once, the checks with it.", f)
	} else {
		b.WriteString("  os.Exit ends the whole program at once, the checks with it.")
	}
	b.WriteString(" Return the error instead\n" +
		"  (return nil, fmt.Errorf(\"…: %w\", err)), and let your caller decide what to do.")
	return b.String()
}
