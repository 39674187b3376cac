package checker

import (
	"context"
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// variableLimit returns the most host parameters (?, ?1, :name) one
// statement may have on this run's database: SQLite's
// SQLITE_LIMIT_VARIABLE_NUMBER, read from a connection (the
// SQLITE_MAX_VARIABLE_NUMBER the bundled SQLite was compiled with, 32,766
// since SQLite 3.32.0), or 0 if it cannot be read.
func (c *C) variableLimit() int {
	conn, err := c.ownDB().Conn(context.Background())
	if err != nil {
		return 0
	}
	defer conn.Close()
	limit := 0
	_ = conn.Raw(func(dc any) error {
		if sc, ok := dc.(*sqlite3.SQLiteConn); ok {
			limit = sc.GetLimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
		}
		return nil
	})
	return limit
}

// tooManyVariables explains a statement SQLite refused to prepare because
// it binds more values than one statement may have ("too many SQL
// variables"), or returns "". It goes by the error's code (SQLITE_ERROR,
// which SQLite gives for it) and by the values the failed statement e was
// given against the connection's limit, not by the message's words: a
// statement with more arguments than the limit fails to prepare, whatever
// the text says.
func (c *C) tooManyVariables(err error, e stmtlog.Entry) string {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrError {
		return ""
	}
	limit := c.variableLimit()
	if limit <= 0 || len(e.Args) <= limit {
		return ""
	}
	version, _, _ := sqlite3.Version()
	return fmt.Sprintf("SQLite refused to prepare statement %d: it binds %s values, one for each ?, and the SQLite\n"+
		"go-sqlite3 bundles (%s) allows at most %s in one statement (SQLITE_MAX_VARIABLE_NUMBER).\n"+
		"An IN (?, ?, …) with one ? per id stops working once there are more ids than that.\n"+
		"Send the ids in batches of at most %s, one statement each (SQLAlchemy's selectinload sends\n"+
		"500 at a time), or send them all as one value, a JSON array, and read it in SQL with\n"+
		"json_each(?).",
		e.Seq, protocol.Count(len(e.Args)), version, protocol.Count(limit), protocol.Count(limit))
}
