package checker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
)

// variableLimit returns the most host parameters (?, ?1, :name) one
// statement may have: SQLite's SQLITE_LIMIT_VARIABLE_NUMBER as a new
// connection reports it, which is the SQLITE_MAX_VARIABLE_NUMBER the
// bundled SQLite was compiled with (32,766 since SQLite 3.32.0; no
// connection the checks give lowers it), or 0 if it cannot be read. It is
// read once per process.
var variableLimit = sync.OnceValue(func() int {
	db := openOwn(":memory:")
	defer db.Close()
	conn, err := db.Conn(context.Background())
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
})

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
	limit := variableLimit()
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

// notJSON explains a statement that reads a JSON value (json_each,
// json_extract, …) and that SQLite refused to run, when one of the text
// values it was given is not JSON, or returns "". It goes by the error's
// code (SQLITE_ERROR) and by the values themselves, checked with
// [json.Valid], not by the message's words. The usual cause is a Go slice
// formatted with fmt ("[1 2 3]", spaces, not commas), where json.Marshal
// writes JSON ("[1,2,3]").
func notJSON(err error, e stmtlog.Entry) string {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrError || !strings.Contains(strings.ToLower(e.SQL), "json") {
		return ""
	}
	for i, a := range e.Args {
		var text string
		switch a := a.(type) {
		case string:
			text = a
		case []byte:
			text = string(a)
		default:
			continue
		}
		if json.Valid([]byte(text)) {
			continue
		}
		return fmt.Sprintf("SQLite could not read value %d of statement %d as JSON:\n"+
			"    %s\n"+
			"  json_each and the other JSON functions take text that is JSON: an array of ids is\n"+
			"  [1,2,3], with commas. fmt.Sprint (and %%v) of a []int64 writes [1 2 3], which is not;\n"+
			"  json.Marshal(ids) writes JSON. Pass string(b) of its result as the value.",
			i+1, e.Seq, stmtlog.FormatValue(a))
	}
	return ""
}
