// Dbhelper reads a seeded database for `workbook db`, which builds without
// cgo and so runs this program (with go run) for everything SQLite does:
//
//	dbhelper schema data/budget.db
//	dbhelper query data/budget.db 'SELECT ...'
//	dbhelper sql data/budget.db
//
// It works on a fresh copy of the file in a scratch folder (package
// workbook/internal/scratch), never on the file itself. Schema and query
// print a dbview.Response as JSON. A query that fails or is refused is a
// response with an error, and exit status 0; the exit status is 1 only when
// the helper itself could not work.
//
// Sql is the scratchpad of `workbook sql`: it reads dbview.Request lines on
// its standard input and answers each with a dbview.Reply line, after a
// first Reply that says the copy is ready. Any statement may run, with
// foreign keys on; the copy is removed when the input ends.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"workbook/internal/dbview"
	"workbook/internal/dbview/sqlitedb"
	"workbook/internal/scratch"
)

// Limits on a query: the rows it shows, and how long it may run.
const (
	maxRows      = 200
	queryTimeout = 10 * time.Second
	// maxShown bounds the rows a scratchpad shows of each kind of change
	// to a table (added, removed, updated).
	maxShown = 5
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "sql" {
		if err := session(os.Args[2], os.Stdin, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "dbhelper: %v\n", err)
			os.Exit(1)
		}
		return
	}
	resp, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "dbhelper: %v\n", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(resp); err != nil {
		fmt.Fprintf(os.Stderr, "dbhelper: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) (*dbview.Response, error) {
	if len(args) < 2 || args[0] == "schema" && len(args) != 2 || args[0] == "query" && len(args) != 3 {
		return nil, errors.New("usage: dbhelper schema file | dbhelper query file sql | dbhelper sql file")
	}
	dir, err := scratch.MkdirTemp("workbook-db-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path, err := sqlitedb.FreshCopy(args[1], dir)
	if err != nil {
		return nil, err
	}
	switch args[0] {
	case "schema":
		s, err := sqlitedb.Inspect(path)
		if err != nil {
			return nil, err
		}
		return &dbview.Response{Schema: s}, nil
	case "query":
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		r, err := sqlitedb.Query(ctx, path, args[2], maxRows)
		var we *sqlitedb.WriteError
		switch {
		case errors.As(err, &we):
			return &dbview.Response{Error: fmt.Sprintf("-e runs queries that only read, and this one would change the data: %s.", we.What)}, nil
		case ctx.Err() != nil:
			return &dbview.Response{Error: fmt.Sprintf("the query did not finish within %s, so it was stopped.", queryTimeout)}, nil
		case err != nil:
			return &dbview.Response{Error: err.Error()}, nil
		}
		return &dbview.Response{Results: r}, nil
	}
	return nil, fmt.Errorf("unknown request %q: schema or query", args[0])
}

// session runs the scratchpad on a fresh copy of the seeded file: a Reply
// that it is ready, then one Reply for each Request read from in.
func session(seeded string, in io.Reader, out io.Writer) error {
	// Ctrl-C on the terminal reaches this program too: the command decides
	// what it means, and each statement has its own time limit.
	signal.Ignore(os.Interrupt)
	enc := json.NewEncoder(out)
	dir, err := scratch.MkdirTemp("workbook-sql-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// A closed terminal (SIGHUP) or a stop (SIGTERM) ends the program
	// before the input does: remove the copy first.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGHUP, syscall.SIGTERM)
	defer signal.Stop(stop)
	go func() {
		if _, ok := <-stop; ok {
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}()
	path, err := sqlitedb.FreshCopy(seeded, dir)
	if err != nil {
		return err
	}
	s, err := sqlitedb.OpenSession(context.Background(), path, maxRows, maxShown)
	if err != nil {
		return enc.Encode(dbview.Reply{Error: err.Error()})
	}
	defer s.Close()
	if err := enc.Encode(dbview.Reply{Ready: true, Tables: s.Tables()}); err != nil {
		return err
	}
	dec := json.NewDecoder(in)
	for {
		var req dbview.Request
		if err := dec.Decode(&req); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading a request: %w", err)
		}
		reply := runRequest(s, req)
		if err := enc.Encode(reply); err != nil {
			return err
		}
		if reply.Error != "" {
			return nil
		}
	}
}

// runRequest runs the complete statements of req, stopping after one that
// fails, and keeps the rest for the next request.
func runRequest(s *sqlitedb.Session, req dbview.Request) dbview.Reply {
	stmts, rest := sqlitedb.Split(req.SQL)
	if req.End && rest != "" {
		stmts, rest = append(stmts, strings.TrimSpace(rest)), ""
	}
	reply := dbview.Reply{Rest: rest}
	for _, stmt := range stmts {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		st, err := s.Run(ctx, stmt)
		timedOut := ctx.Err() != nil
		cancel()
		if err != nil {
			reply.Error = err.Error()
			return reply
		}
		if timedOut && st.Error != "" {
			st.Error = fmt.Sprintf("the statement did not finish within %s, so it was stopped", queryTimeout)
		}
		reply.Statements = append(reply.Statements, st)
		if st.Error != "" {
			reply.Rest = ""
			break
		}
	}
	return reply
}
