package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"workbook/internal/dbview"
	"workbook/internal/lesson"
)

// cmdDB is workbook db.
var cmdDB = &command{
	name:  "db",
	args:  "[lesson or data set]",
	short: "show a lesson's data: its tables, keys and row counts, or a query's result",
	long: `Db shows the data a lesson's checks run on (with no argument, the lesson
you are on), or a data set named as in data/ (budget, bank, library,
weights, budget-1000, ...): every table with its row count, its columns,
primary and foreign keys (with what ON DELETE does) and indexes, then how
the tables connect.

Db runs a small helper program with go run, because SQLite needs cgo and the
workbook command does not: the first time, it compiles SQLite (a minute or
two).`,
	run: withFlags((*dbOptions).setFlags, runDB),
}

// dbOptions are the flags of db.
type dbOptions struct {
	query   string
	mermaid bool
}

// setFlags declares the flags of db into o.
func (o *dbOptions) setFlags(fs *flagSet) {
	fs.StringVar(&o.query, "e", "", "Run `query`, which may only read (SELECT, WITH, a PRAGMA that reads), on\n"+
		`a fresh copy of the data, and print what it returns as a table (the
first 200 rows); several statements separated by semicolons print a
table each. A statement that would write is refused, and the seeded
file is never touched: to try writes, use sql.`)
	fs.BoolVar(&o.mermaid, "mermaid", false, `Print the schema as a Mermaid erDiagram (tables, columns and their
types, keys, and each foreign key with its ON DELETE action), which
GitHub and VS Code draw in a mermaid code block. Each lesson's
README.md shows its data this way.`)
}

// runDB shows the data set args name, or a lesson's, or what a query
// returns on it.
func runDB(e *env, opt dbOptions, args []string) int {
	if len(args) > 1 {
		return e.usageError("name one lesson or data set")
	}
	if opt.mermaid && opt.query != "" {
		return e.usageError("-mermaid shows the schema; it does not go with -e")
	}
	if err := e.workbook(); err != nil {
		return e.fail(err)
	}
	name, about, code := e.dataFor(args)
	if name == "" {
		return code
	}
	path := lesson.DataSetPath(e.root, name)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if opt.query != "" {
		resp, err := e.dbHelper(ctx, "query", path, opt.query)
		if err != nil {
			return e.fail(err)
		}
		if resp.Error != "" {
			fmt.Fprintf(e.stderr, "workbook db: %s\n(It ran on a fresh copy: %s is unchanged.)\n", resp.Error, e.show(path))
			return exitFail
		}
		for i, r := range resp.Results {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			dbview.WriteResult(e.stdout, r)
		}
		return exitOK
	}
	resp, err := e.dbHelper(ctx, "schema", path, "")
	if err != nil {
		return e.fail(err)
	}
	if opt.mermaid {
		dbview.WriteMermaid(e.stdout, resp.Schema)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s\n\n", e.style.bold(fmt.Sprintf("%s: %s", e.show(path), about)))
	g := dbview.Plain
	if e.style.color {
		g = dbview.Fancy
	}
	dbview.WriteSchema(e.stdout, resp.Schema, g)
	if len(resp.Schema.Tables) > 0 {
		fmt.Fprintf(e.stdout, "\nQuery it: %s db %s -e 'SELECT * FROM %s LIMIT 5'\n", e.self, name, resp.Schema.Tables[0].Name)
	}
	return exitOK
}

// dataFor resolves the argument of db to a data set: a data set's name, or
// a lesson (by default the one the learner is on), whose own data set is
// the first its checks use that is not a hidden variant. It returns the
// name and a line about it; an empty name ends the command with code.
func (e *env) dataFor(args []string) (name, about string, code int) {
	available := lesson.AvailableDataSets(e.root)
	if len(args) == 1 {
		for _, d := range available {
			if d == args[0] || d+".db" == filepath.Base(args[0]) {
				return d, "a data set of the workbook", exitOK
			}
		}
	}
	l, _, code := e.chosenLesson(args, "Every lesson has passed. Name a lesson or a data set: "+e.self+" "+e.cmd.name+" budget")
	if l == nil {
		if len(args) == 1 && code == exitUsage {
			fmt.Fprintf(e.stderr, "The data sets are: %s\n", strings.Join(available, ", "))
		}
		return "", "", code
	}
	used, err := l.DataSets(available)
	if err != nil {
		return "", "", e.fail(err)
	}
	own, others := lesson.OwnDataSet(used)
	if own == "" {
		fmt.Fprintf(e.stderr, "workbook %s: lesson %d names no data set in its checks. The data sets are: %s\n", e.cmd.name, l.Number, strings.Join(available, ", "))
		return "", "", exitFail
	}
	about = fmt.Sprintf("the data of lesson %d, %s", l.Number, l.Title)
	if len(others) > 0 {
		about += fmt.Sprintf(" (its checks also use %s)", strings.Join(others, ", "))
	}
	return own, about, exitOK
}

// dbHelper runs the helper program that reads SQLite for db, and returns
// what it answered.
func (e *env) dbHelper(ctx context.Context, args ...string) (*dbview.Response, error) {
	if args[len(args)-1] == "" {
		args = args[:len(args)-1]
	}
	cmd, err := e.helperCommand(ctx, args...)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	building := time.AfterFunc(3*time.Second, func() {
		fmt.Fprintln(e.stderr, "Building the database helper… (the very first build compiles SQLite's C source, which takes a minute or two)")
	})
	err = cmd.Run()
	building.Stop()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted")
	}
	if err != nil {
		return nil, fmt.Errorf("the database helper failed: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	var resp dbview.Response
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
		return nil, fmt.Errorf("the database helper answered something unreadable: %v", err)
	}
	if resp.Schema == nil && resp.Results == nil && resp.Error == "" {
		return nil, fmt.Errorf("the database helper answered nothing")
	}
	return &resp, nil
}
