// Package sqlitedb reads a seeded database for package workbook/internal/dbview:
// its schema, and the result of a query that may only read.
//
// Both work on a fresh copy of the seeded file (see [FreshCopy]), opened
// read-only; a query also runs with PRAGMA query_only, no attached
// databases, and an authorizer that refuses anything but reading, so that a
// write is refused with a clear reason before it starts. The seeded file is
// only ever read.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"workbook/internal/dbview"
	"workbook/internal/sqlite"
)

// FreshCopy copies the seeded database at seeded into dir and returns the
// copy's path.
func FreshCopy(seeded, dir string) (string, error) {
	src, err := os.Open(seeded)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst := filepath.Join(dir, filepath.Base(seeded))
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return "", err
	}
	return dst, out.Close()
}

// open opens the database at path read-only, on one connection.
func open(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", sqlite.DSN(path, sqlite.Options{ReadOnly: true, QueryOnly: true}))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Inspect reads the schema of the database at path, with the row count of
// every table.
func Inspect(path string) (*dbview.Schema, error) {
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ctx := context.Background()
	names, err := sqlite.Tables(ctx, db, "main")
	if err != nil {
		return nil, fmt.Errorf("reading the tables: %w", err)
	}
	s := &dbview.Schema{}
	for _, name := range names {
		t, err := table(ctx, db, name)
		if err != nil {
			return nil, fmt.Errorf("reading table %s: %w", name, err)
		}
		s.Tables = append(s.Tables, t)
	}
	return s, nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func table(ctx context.Context, db *sql.DB, name string) (dbview.Table, error) {
	t := dbview.Table{Name: name}
	if err := db.QueryRow("SELECT count(*) FROM " + quote(name)).Scan(&t.Rows); err != nil {
		return t, err
	}
	cols, err := sqlite.Columns(ctx, db, "main", name)
	if err != nil {
		return t, err
	}
	for _, c := range cols {
		t.Columns = append(t.Columns, dbview.Column{Name: c.Name, Type: c.Type, NotNull: c.NotNull, PK: c.PK, Default: c.Default})
	}

	fks, err := sqlite.ForeignKeys(ctx, db, "main", name)
	if err != nil {
		return t, err
	}
	for _, fk := range fks {
		t.ForeignKeys = append(t.ForeignKeys, dbview.ForeignKey{
			Columns:  fk.From,
			Table:    fk.Parent,
			To:       parentColumns(ctx, db, fk),
			OnDelete: fk.OnDelete,
			OnUpdate: fk.OnUpdate,
		})
	}
	// SQLite lists foreign keys last declared first: show them in the
	// order of their columns.
	place := map[string]int{}
	for i, c := range t.Columns {
		place[c.Name] = i
	}
	sort.SliceStable(t.ForeignKeys, func(i, j int) bool {
		return place[t.ForeignKeys[i].Columns[0]] < place[t.ForeignKeys[j].Columns[0]]
	})

	if t.Checks, err = sqlite.Checks(ctx, db, "main", name); err != nil {
		return t, err
	}
	indexes, err := sqlite.Indexes(ctx, db, "main", name)
	if err != nil {
		return t, err
	}
	// SQLite lists the index made last first: show them in the order they
	// were made.
	for _, ix := range slices.Backward(indexes) {
		switch {
		case ix.Origin == "pk":
			// The primary key is shown on its columns.
		case ix.Origin == "u" && len(ix.Columns) == 1:
			for i := range t.Columns {
				if t.Columns[i].Name == ix.Columns[0] {
					t.Columns[i].Unique = true
				}
			}
		case ix.Origin == "u":
			t.Indexes = append(t.Indexes, dbview.Index{Name: "(unique constraint)", Columns: ix.Columns, Unique: true})
		default:
			t.Indexes = append(t.Indexes, dbview.Index{Name: ix.Name, Columns: ix.Columns, Unique: ix.Unique})
		}
	}
	return t, nil
}

// parentColumns returns the parent's columns a foreign key refers to, one
// for each of its own: those of the parent's primary key when the key
// leaves them out (REFERENCES users), or "" each if they cannot be found.
func parentColumns(ctx context.Context, db *sql.DB, fk sqlite.ForeignKey) []string {
	if len(fk.To) > 0 {
		return fk.To
	}
	if pk, err := sqlite.PrimaryKey(ctx, db, "main", fk.Parent); err == nil && len(pk) == len(fk.From) {
		return pk
	}
	return make([]string, len(fk.From))
}

// WriteError is the error for a query that would change the data.
type WriteError struct {
	// What says what was refused: "DELETE from users", "VACUUM".
	What string
}

func (e *WriteError) Error() string { return "the query would change the data: " + e.What }

// sqliteRecursive is SQLITE_RECURSIVE, the authorizer's code for a
// recursive common table expression, which go-sqlite3 does not export.
const sqliteRecursive = 33

// readablePragmas are the PRAGMAs a query may use: they only read.
var readablePragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true,
	"index_list": true, "index_info": true, "index_xinfo": true,
	"foreign_key_list": true, "foreign_key_check": true,
	"integrity_check": true, "quick_check": true,
	"database_list": true, "collation_list": true, "function_list": true, "pragma_list": true,
}

// Query runs each statement of query (as [Split] cuts them; a last one
// needs no semicolon) on the database at path and returns, for each, its
// columns and up to limit rows (counting them all). It refuses, with a
// *WriteError, any statement that would change the database or its
// settings, and gives up when ctx is done.
func Query(ctx context.Context, path, query string, limit int) ([]*dbview.Result, error) {
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var refused string
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not SQLite's", dc)
		}
		sc.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
		sc.RegisterAuthorizer(func(op int, arg1, arg2, _ string) int {
			switch op {
			case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqliteRecursive:
				return sqlite3.SQLITE_OK
			case sqlite3.SQLITE_PRAGMA:
				if readablePragmas[strings.ToLower(arg1)] {
					return sqlite3.SQLITE_OK
				}
			}
			if refused == "" {
				refused = describe(op, arg1, arg2)
			}
			return sqlite3.SQLITE_DENY
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// refusal explains an error: a write the authorizer refused, or
	// another error as it is.
	refusal := func(err error) error {
		var se sqlite3.Error
		refusedAsItRan := errors.As(err, &se) && se.Code == sqlite3.ErrAuth
		switch {
		case (refused != "" || refusedAsItRan) && hasWord(query, "vacuum"):
			// VACUUM writes a whole database, through an ATTACH of its
			// own that the authorizer refuses as it runs.
			return &WriteError{What: "VACUUM"}
		case refused != "":
			return &WriteError{What: refused}
		case refusedAsItRan:
			return &WriteError{What: "a statement that is not a read"}
		}
		return err
	}
	stmts, rest := Split(query)
	if rest != "" {
		stmts = append(stmts, rest)
	}
	if len(stmts) == 0 {
		return nil, errors.New("there is no statement to run")
	}
	var out []*dbview.Result
	for _, stmt := range stmts {
		rows, err := conn.QueryContext(ctx, stmt)
		if err != nil || refused != "" {
			if rows != nil {
				rows.Close()
			}
			return nil, refusal(err)
		}
		r, err := readResult(rows, limit)
		rows.Close()
		if err != nil || refused != "" {
			return nil, refusal(err)
		}
		out = append(out, r)
	}
	return out, nil
}

// text shows a value as SQL would spell it, but text without quotes; nil
// for NULL.
func text(v any) *string {
	var s string
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		s = v
	case []byte:
		s = fmt.Sprintf("x'%x'", v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case float64:
		s = strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		s = "0"
		if v {
			s = "1"
		}
	case time.Time:
		s = v.Format(time.RFC3339Nano)
	default:
		s = fmt.Sprint(v)
	}
	return &s
}

// hasWord reports whether word (lower case) is one of the words of text.
func hasWord(text, word string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '_')
	}) {
		if w == word {
			return true
		}
	}
	return false
}

// describe says in words what the authorizer refused.
func describe(op int, arg1, arg2 string) string {
	if strings.HasPrefix(strings.ToLower(arg1), "sqlite_") {
		// CREATE, DROP and ALTER write SQLite's own table of the schema
		// before anything else.
		return "a change to the schema"
	}
	switch op {
	case sqlite3.SQLITE_INSERT:
		return "INSERT into " + arg1
	case sqlite3.SQLITE_UPDATE:
		return "UPDATE of " + arg1
	case sqlite3.SQLITE_DELETE:
		return "DELETE from " + arg1
	case sqlite3.SQLITE_PRAGMA:
		if arg2 != "" {
			return fmt.Sprintf("PRAGMA %s = %s", arg1, arg2)
		}
		return "PRAGMA " + arg1
	case sqlite3.SQLITE_TRANSACTION:
		return "a transaction (" + arg1 + ")"
	case sqlite3.SQLITE_ATTACH:
		return "ATTACH of another database"
	case sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_CREATE_TEMP_TABLE:
		return "CREATE TABLE " + arg1
	case sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_TEMP_INDEX:
		return "CREATE INDEX " + arg1
	case sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_DROP_TEMP_TABLE:
		return "DROP TABLE " + arg1
	case sqlite3.SQLITE_ALTER_TABLE:
		return "ALTER TABLE " + arg2
	}
	return "a statement that is not a read"
}
