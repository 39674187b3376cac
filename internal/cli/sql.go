package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"workbook/internal/dbview"
	"workbook/internal/runner"
)

// cmdSQL is workbook sql.
var cmdSQL = &command{
	name:  "sql",
	args:  "[lesson or data set]",
	short: "try any SQL, writes too, on a throwaway copy of a lesson's data",
	long: `Sql is a scratchpad: it runs SQL on a throwaway copy of a lesson's data
(with no argument, the lesson you are on) or of a data set named as in data/
(budget, bank, cascade, library, ...), with foreign keys on, as the checks
run. Writes are allowed: try a lesson's DELETE, UPDATE or PRAGMA and see
what happens. The copy is removed when sql ends; data/ is never written.

After each statement it prints the rows a query returns, or how many rows a
write changed itself and then every table that changed, cascades included:
each table's row count before and after, and the rows added, removed or
updated.

On a terminal, sql asks for statements: end each with a semicolon, and
leave with .quit or Ctrl-D. Otherwise it runs what its input holds, or what
-e gives, and stops at the first statement that fails.

Sql runs the database helper with go run, as db does.`,
	run: withFlags((*sqlOptions).setFlags, runSQL),
}

// sqlOptions are the flags of sql.
type sqlOptions struct {
	exprs stringList
}

// setFlags declares the flags of sql into o.
func (o *sqlOptions) setFlags(fs *flagSet) {
	fs.Var(&o.exprs, "e", "Run `SQL` (one statement, or several separated by semicolons) and exit,\n"+
		"rather than asking. Repeat -e to run more, in order, on the same copy.")
}

// stringList is a flag that may be given more than once.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, "; ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// runSQL runs the scratchpad on the data set args name, or a lesson's.
func runSQL(e *env, opt sqlOptions, args []string) int {
	if len(args) > 1 {
		return e.usageError("name one lesson or data set")
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	name, about, code := e.dataFor(args)
	if name == "" {
		return code
	}
	path := filepath.Join(e.root, "data", name+".db")
	h, err := e.startScratchpad(path)
	if err != nil {
		return e.fail(err)
	}
	defer h.close()
	interactive := len(opt.exprs) == 0 && isTerminal(e.stdin) && isTerminal(e.stdout)
	if interactive {
		fmt.Fprintf(e.stdout, "%s\n", e.style.bold(fmt.Sprintf("%s: %s", e.show(path), about)))
		fmt.Fprintf(e.stdout, "A throwaway copy, with foreign keys on: nothing you do here changes %s.\n", e.show(path))
		fmt.Fprintf(e.stdout, "Tables: %s. End each statement with ;, and leave with .quit or Ctrl-D.\n", strings.Join(h.tables, ", "))
		return e.sqlPrompt(h)
	}
	texts := []string(opt.exprs)
	if len(texts) == 0 {
		all, err := io.ReadAll(e.stdin)
		if err != nil {
			return e.fail(err)
		}
		texts = []string{string(all)}
	}
	shown := 0
	for _, text := range texts {
		reply, err := h.send(dbview.Request{SQL: text, End: true})
		if err != nil {
			return e.fail(err)
		}
		if !e.writeStatements(reply, true, path, &shown) {
			return exitFail
		}
	}
	return exitOK
}

// sqlPrompt reads statements from the terminal until .quit, the end of
// the input or Ctrl-C, and runs each as soon as it is complete.
func (e *env) sqlPrompt(h *scratchpad) int {
	// Ctrl-C, a closed terminal or a stop ends the session as .quit does,
	// so that the helper is told to go and removes its copy.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGHUP, syscall.SIGTERM)
	defer signal.Stop(stop)
	type input struct {
		line string
		err  error
	}
	lines := make(chan input)
	go func() {
		in := bufio.NewReader(e.stdin)
		for {
			line, err := in.ReadString('\n')
			lines <- input{line, err}
			if err != nil {
				return
			}
		}
	}()
	pending := ""
	for {
		prompt := "sql> "
		if pending != "" {
			prompt = "...> "
		}
		fmt.Fprint(e.stdout, prompt)
		var line string
		var err error
		select {
		case <-stop:
			fmt.Fprintln(e.stdout, "\nLeaving; the copy is thrown away.")
			return exitOK
		case in := <-lines:
			line, err = in.line, in.err
		}
		if err != nil && line == "" {
			fmt.Fprintln(e.stdout)
			if pending != "" {
				if reply, err := h.send(dbview.Request{SQL: pending, End: true}); err == nil {
					e.writeStatements(reply, false, "", new(int))
				}
			}
			return exitOK
		}
		if pending == "" {
			switch strings.TrimSpace(line) {
			case "":
				continue
			case ".quit", ".exit", "quit", "exit":
				return exitOK
			case ".help", "help":
				fmt.Fprintln(e.stdout, "End each statement with ; to run it. .quit or Ctrl-D leaves; the copy is thrown away.")
				continue
			}
		}
		reply, err := h.send(dbview.Request{SQL: pending + line})
		if err != nil {
			return e.fail(err)
		}
		pending = reply.Rest
		e.writeStatements(reply, len(reply.Statements) > 1, "", new(int))
	}
}

// writeStatements writes what each statement of reply did, each after the
// statement itself when echo is set, with a blank line between statements;
// shown counts the statements written so far. A failed statement's error
// goes to stderr; when seeded is not "", it is the file the copy was made
// from, which the error says is unchanged. It reports whether every
// statement succeeded.
func (e *env) writeStatements(reply *dbview.Reply, echo bool, seeded string, shown *int) bool {
	for _, st := range reply.Statements {
		if echo {
			if *shown > 0 {
				fmt.Fprintln(e.stdout)
			}
			fmt.Fprintln(e.stdout, e.style.bold("sql> "+strings.ReplaceAll(st.SQL, "\n", "\n...> ")))
		}
		*shown++
		if st.Error != "" {
			fmt.Fprintf(e.stderr, "workbook sql: %s\n", st.Error)
			if seeded != "" {
				fmt.Fprintf(e.stderr, "(It changed nothing, and nothing after it ran. All of it ran on a throwaway copy: %s is unchanged.)\n", e.show(seeded))
			}
			return false
		}
		dbview.WriteStatement(e.stdout, st)
	}
	return true
}

// A scratchpad is a running dbhelper sql: a session on a copy of a data
// set, spoken to a line of JSON at a time.
type scratchpad struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *json.Decoder
	stderr *bytes.Buffer
	tables []string // the tables when it started
}

// startScratchpad starts the helper on a copy of the seeded file at path
// and waits until it is ready.
func (e *env) startScratchpad(path string) (*scratchpad, error) {
	cmd, err := e.helperCommand(context.Background(), "sql", path)
	if err != nil {
		return nil, err
	}
	h := &scratchpad{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = h.stderr
	if h.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	h.out = json.NewDecoder(out)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the database helper: %w", err)
	}
	building := time.AfterFunc(3*time.Second, func() {
		fmt.Fprintln(e.stderr, "Building the database helper… (the very first build compiles SQLite's C source, which takes a minute or two)")
	})
	reply, err := h.read()
	building.Stop()
	if err != nil {
		h.close()
		return nil, err
	}
	if !reply.Ready {
		h.close()
		return nil, fmt.Errorf("the database helper did not start: %s", reply.Error)
	}
	h.tables = reply.Tables
	return h, nil
}

// send sends req and returns the helper's reply.
func (h *scratchpad) send(req dbview.Request) (*dbview.Reply, error) {
	if err := json.NewEncoder(h.in).Encode(req); err != nil {
		return nil, h.failed(err)
	}
	reply, err := h.read()
	if err != nil {
		return nil, err
	}
	if reply.Error != "" {
		return nil, fmt.Errorf("the database helper stopped: %s", reply.Error)
	}
	return reply, nil
}

func (h *scratchpad) read() (*dbview.Reply, error) {
	var reply dbview.Reply
	if err := h.out.Decode(&reply); err != nil {
		return nil, h.failed(err)
	}
	return &reply, nil
}

// failed explains an error talking to the helper with what it printed.
func (h *scratchpad) failed(err error) error {
	if errors.Is(err, io.EOF) {
		h.cmd.Wait()
		return fmt.Errorf("the database helper failed: %v\n%s", h.cmd.ProcessState, strings.TrimSpace(h.stderr.String()))
	}
	return fmt.Errorf("the database helper: %w", err)
}

// close ends the helper's input, so that it removes its copy and exits,
// and waits for it.
func (h *scratchpad) close() {
	h.in.Close()
	done := make(chan struct{})
	go func() { h.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		h.cmd.Process.Kill()
		<-done
	}
}

// helperCommand returns the command that runs the database helper with
// args, from the workbook's root, with cgo on.
func (e *env) helperCommand(ctx context.Context, args ...string) (*exec.Cmd, error) {
	goCmd, err := runner.GoTools()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"run", "./internal/dbview/dbhelper"}, args...)...)
	cmd.Dir = e.root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	return cmd, nil
}
