package checker

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
)

// PoolSetting reads an integer PRAGMA (such as "foreign_keys") on up to n
// connections of db's pool at once, without counting the reads, and returns
// one value per connection it could hold. A pool limited to fewer
// connections (SetMaxOpenConns) yields fewer values.
//
// It exists because a PRAGMA run through db.Exec reaches one connection of
// the pool, while database/sql opens others as it needs them.
func PoolSetting(db *sqlx.DB, pragma string, n int) ([]int64, error) {
	if limit := db.Stats().MaxOpenConnections; limit > 0 && limit < n {
		n = limit
	}
	var values []int64
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := db.Conn(ctx)
		cancel()
		if err != nil {
			return values, fmt.Errorf("checker: getting connection %d of the pool: %w", i+1, err)
		}
		defer conn.Close() // hold every connection, so the next one is another
		var v int64
		err = conn.Raw(func(dc any) error {
			sc, err := sqliteConn(dc)
			if err != nil {
				return err
			}
			v, err = pragmaInt(sc, pragma)
			return err
		})
		if err != nil {
			return values, err
		}
		values = append(values, v)
	}
	return values, nil
}

// sqliteConn reaches go-sqlite3's connection under a driver connection, with
// or without the counting wrapper.
func sqliteConn(dc any) (*sqlite3.SQLiteConn, error) {
	switch c := dc.(type) {
	case *stmtlog.Conn:
		return stmtlog.Underlying(c), nil
	case *sqlite3.SQLiteConn:
		return c, nil
	}
	return nil, fmt.Errorf("checker: the connection is a %T, not SQLite's", dc)
}

func pragmaInt(sc *sqlite3.SQLiteConn, pragma string) (int64, error) {
	rows, err := sc.Query("PRAGMA "+pragma, nil)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(dest); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("checker: PRAGMA %s returned no row", pragma)
		}
		return 0, err
	}
	v, ok := dest[0].(int64)
	if !ok {
		return 0, fmt.Errorf("checker: PRAGMA %s returned %T", pragma, dest[0])
	}
	return v, nil
}

// Counted reports whether db records its statements for the checker: a
// handle from [C.DB], or one opened with [DriverName]. A learner's handle
// opened with the bare driver escapes the statement budget.
func Counted(db *sqlx.DB) bool {
	_, ok := db.Driver().(*stmtlog.Driver)
	return ok
}

// RenewPool closes the idle connections of db's pool, as database/sql does
// on its own when connections sit idle too long or break, so that the next
// use opens new ones. Settings made once on an old connection are gone on
// the new ones; settings in the data source name are not. The pool keeps
// database/sql's default of 2 idle connections afterwards.
func RenewPool(db *sqlx.DB) {
	db.SetMaxIdleConns(0) // closes the idle connections now
	db.SetMaxIdleConns(2)
}
