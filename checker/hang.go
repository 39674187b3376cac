package checker

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"workbook/checker/stmtlog"
)

// frame is one call of a goroutine's stack as runtime.Stack prints it.
type frame struct {
	Function string // "workbook/lessons/07-n-plus-one.SpendingReport"
	File     string
	Line     int
}

// goroutineID returns the id of the calling goroutine, as the first line of
// its stack names it ("goroutine 18 [running]:").
func goroutineID() int64 {
	var buf [64]byte
	s := buf[:runtime.Stack(buf[:], false)]
	s = bytes.TrimPrefix(s, []byte("goroutine "))
	if i := bytes.IndexByte(s, ' '); i > 0 {
		id, _ := strconv.ParseInt(string(s[:i]), 10, 64)
		return id
	}
	return 0
}

// maxStackDump bounds the dump of every goroutine's stack read for one
// goroutine's frames.
const maxStackDump = 16 << 20

// stackOf returns the frames of goroutine id, innermost first, and its
// state as the dump gives it ("running", "select", "chan receive"). It
// returns nil when the goroutine has ended.
func stackOf(id int64) (frames []frame, state string) {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= maxStackDump {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	head := []byte(fmt.Sprintf("goroutine %d [", id))
	i := bytes.Index(buf, head)
	if i < 0 {
		return nil, ""
	}
	block := buf[i+len(head):]
	if j := bytes.Index(block, []byte("\n\n")); j >= 0 {
		block = block[:j]
	}
	sc := bufio.NewScanner(bytes.NewReader(block))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	if sc.Scan() {
		state = strings.SplitN(strings.TrimSuffix(sc.Text(), "]:"), ",", 2)[0]
	}
	for sc.Scan() {
		fn := sc.Text()
		if strings.HasPrefix(fn, "created by ") || !sc.Scan() {
			break
		}
		loc := strings.TrimSpace(sc.Text())
		if k := strings.LastIndex(loc, " +0x"); k >= 0 {
			loc = loc[:k]
		}
		f := frame{Function: fn}
		if k := strings.LastIndex(fn, "("); k > 0 {
			f.Function = fn[:k]
		}
		if k := strings.LastIndex(loc, ":"); k > 0 {
			f.File, f.Line = loc[:k], atoi(loc[k+1:])
		}
		frames = append(frames, f)
	}
	return frames, state
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// whereStuck describes where the body's goroutine was when the check
// stopped waiting: the innermost call in the learner's files, the line of
// code there, what it was calling, and the learner's calls around it. It
// returns "" when the stack shows no frame of the learner's files.
func (cfg *config) whereStuck(frames []frame, state string) (text, place string) {
	first := -1
	for i, f := range frames {
		if cfg.isLearnerFile(f.File) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", ""
	}
	f := frames[first]
	place = f.File + " " + f.Function
	var b strings.Builder
	fmt.Fprintf(&b, "When it was stopped, your code was at %s:%d in %s", cfg.rel(f.File), f.Line, shortFunc(f.Function))
	if src := cfg.sourceLine(f.File, f.Line); src != "" {
		fmt.Fprintf(&b, ":\n    %d | %s\n", f.Line, src)
	} else {
		b.WriteString(".\n")
	}
	if loop := cfg.enclosingLoop(f.File, f.Line); loop != "" {
		fmt.Fprintf(&b, "  %s,\n", stmtlog.Shorten(loop, 100))
	}
	running := state == "running" || state == "runnable"
	var callee string
	if first > 0 {
		callee = frames[first-1].Function
	}
	switch {
	case callee != "" && !running:
		fmt.Fprintf(&b, "  inside a call to %s, which was waiting (%s).\n", displayFunc(callee), state)
	case callee != "" && !ownOrRuntime(callee, f.Function):
		fmt.Fprintf(&b, "  inside a call to %s, which was still working.\n", displayFunc(callee))
	case running:
		b.WriteString("  running your own code, not waiting for the database: a loop that never ends?\n")
	default:
		fmt.Fprintf(&b, "  waiting (%s).\n", state)
	}
	var outer []string
	for _, g := range frames[first+1:] {
		if cfg.isLearnerFile(g.File) && len(outer) < 3 {
			outer = append(outer, fmt.Sprintf("%s:%d in %s", cfg.rel(g.File), g.Line, shortFunc(g.Function)))
		}
	}
	if len(outer) > 0 {
		fmt.Fprintf(&b, "  called from %s.\n", strings.Join(outer, ", from "))
	}
	return strings.TrimRight(b.String(), "\n"), place
}

// ownOrRuntime reports whether callee, called from the learner's function
// fn, is part of running the learner's own code: a function of the same
// package, or of the runtime or sync/atomic, which a busy loop calls.
func ownOrRuntime(callee, fn string) bool {
	p := pkgOf(callee)
	return p == pkgOf(fn) || p == "runtime" || p == "sync/atomic" || p == "sync" || p == "internal/runtime/atomic"
}

func pkgOf(fn string) string {
	slash := strings.LastIndex(fn, "/")
	if i := strings.Index(fn[slash+1:], "."); i >= 0 {
		return fn[:slash+1+i]
	}
	return fn
}

// displayFunc shortens a function's import path to its last element:
// database/sql.(*DB).query becomes sql.(*DB).query.
func displayFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// sourceLine returns line n of file, trimmed, or "" when it cannot be read.
func (cfg *config) sourceLine(file string, n int) string {
	data, err := cfg.readLearner(file)
	if err != nil || n < 1 {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}

// hangs are the bodies, of any check in this program, that were stopped
// at their time limit and whose goroutines have not returned since: code
// that hung once and still runs. A later body found stuck in the same
// function of the learner's is stopped early rather than waited for in
// full, and its failure points at the first.
var hangs struct {
	sync.Mutex
	list []hang
}

type hang struct {
	check, data string
	place       string        // the learner's file and function it was stuck in
	where       string        // its file:line, for the message
	done        chan struct{} // closed when its goroutine returns at last
}

func addHang(h hang) {
	hangs.Lock()
	defer hangs.Unlock()
	hangs.list = append(hangs.list, h)
}

// stillHung returns the first hang stuck at place whose goroutine still
// runs.
func stillHung(place string) (hang, bool) {
	hangs.Lock()
	defer hangs.Unlock()
	for _, h := range hangs.list {
		select {
		case <-h.done:
			continue
		default:
		}
		if h.place == place {
			return h, true
		}
	}
	return hang{}, false
}

// anyHung reports whether some stopped body still runs.
func anyHung() bool {
	hangs.Lock()
	defer hangs.Unlock()
	for _, h := range hangs.list {
		select {
		case <-h.done:
		default:
			return true
		}
	}
	return false
}

// hangProbe is how long a body runs before it is compared with the hangs
// still running, and how often after that (half the check's time limit,
// when that is shorter).
const hangProbe = time.Second

// enclosingLoop names the innermost loop of file that holds line: "inside
// the loop over users", "inside the loop for rows.Next()", or "" when the
// line is in no loop or the file cannot be parsed.
func (cfg *config) enclosingLoop(file string, line int) string {
	data, err := cfg.readLearner(file)
	if err != nil {
		return ""
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, data, parser.SkipObjectResolution)
	if err != nil {
		return ""
	}
	var inner ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		start, end := fset.Position(n.Pos()).Line, fset.Position(n.End()).Line
		if line < start || line > end {
			return false
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			inner = n
		}
		return true
	})
	switch n := inner.(type) {
	case *ast.RangeStmt:
		return "inside the loop over " + types.ExprString(n.X)
	case *ast.ForStmt:
		if n.Cond == nil {
			return "inside a for loop with no condition"
		}
		return "inside the loop for " + types.ExprString(n.Cond)
	}
	return ""
}
