// Dbhelper reads a seeded database for `workbook db`, which builds without
// cgo and so runs this program (with go run) for everything SQLite does:
//
//	dbhelper schema data/budget.db
//	dbhelper query data/budget.db 'SELECT ...'
//
// It works on a fresh copy of the file in a temporary folder, never on the
// file itself, and prints a dbview.Response as JSON. A query that fails or is
// refused is a response with an error, and exit status 0; the exit status is
// 1 only when the helper itself could not work.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"workbook/internal/dbview"
	"workbook/internal/dbview/sqlitedb"
)

// Limits on a query: the rows it shows, and how long it may run.
const (
	maxRows      = 200
	queryTimeout = 10 * time.Second
)

func main() {
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
		return nil, errors.New("usage: dbhelper schema file | dbhelper query file sql")
	}
	dir, err := os.MkdirTemp("", "workbook-db-")
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
		return &dbview.Response{Result: r}, nil
	}
	return nil, fmt.Errorf("unknown request %q: schema or query", args[0])
}
