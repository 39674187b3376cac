// Package sqlite is the one place the workbook reads a SQLite database's
// schema and builds the DSNs it opens databases with.
//
// [DSN] writes the data source name go-sqlite3 opens a database file with,
// and [PathOf] reads the file back out of one. [Columns], [PrimaryKey],
// [ForeignKeys], [Indexes] and [ForeignKeyViolations] read a schema through
// SQLite's PRAGMA table-valued functions, every name passed as a bound
// parameter, and return typed values; [Objects] and [Tables] read the
// schema's sqlite_schema table.
//
// The schema argument of the readers names the database of the connection
// to read: "main", "temp", or the name another database was attached under.
// Table names are exact, as SQLite stores them, and need no quoting: they
// are never written into SQL text.
package sqlite

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBusyTimeout is how long the checker's handles on a check's database
// wait for a lock another connection holds before a statement fails with
// SQLITE_BUSY: the learner's handle and the checker's own share the file.
const DefaultBusyTimeout = 3 * time.Second

// Options are the settings a DSN asks go-sqlite3 to give every connection it
// opens.
type Options struct {
	// ForeignKeys turns on the enforcement of foreign keys (PRAGMA
	// foreign_keys). When it is false the DSN turns enforcement off, as
	// SQLite's default is.
	ForeignKeys bool
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection before it fails with SQLITE_BUSY, in whole milliseconds
	// (rounded up). Zero leaves go-sqlite3's default, 5 seconds.
	BusyTimeout time.Duration
	// ReadOnly opens the file read-only (SQLite's mode=ro).
	ReadOnly bool
	// QueryOnly turns on PRAGMA query_only: a statement that would change
	// the database fails.
	QueryOnly bool
}

// DSN returns the data source name that opens the database file at path with
// the settings o, as a file: URI: "file:/tmp/x/bank.db?_foreign_keys=on".
// The characters a URI gives a meaning to (?, # and %) are escaped in the
// path, so any path opens the file it names; [PathOf] undoes this.
func DSN(path string, o Options) string {
	var b strings.Builder
	b.WriteString("file:")
	b.WriteString(escapePath(path))
	// go-sqlite3's own parameters; see the documentation of its
	// SQLiteDriver.Open.
	if o.ForeignKeys {
		b.WriteString("?_foreign_keys=on")
	} else {
		b.WriteString("?_foreign_keys=off")
	}
	if o.BusyTimeout > 0 {
		ms := (o.BusyTimeout + time.Millisecond - 1) / time.Millisecond
		b.WriteString("&_busy_timeout=")
		b.WriteString(strconv.FormatInt(int64(ms), 10))
	}
	if o.ReadOnly {
		b.WriteString("&mode=ro") // SQLite's own
	}
	if o.QueryOnly {
		b.WriteString("&_query_only=true")
	}
	return b.String()
}

// escapePath escapes the characters that end a file: URI's path (? and #)
// or start an escape in it (%). SQLite reads everything else in the path as
// it is, spaces included.
func escapePath(path string) string {
	if !strings.ContainsAny(path, "?#%") {
		return path
	}
	var b strings.Builder
	for _, r := range path {
		switch r {
		case '%':
			b.WriteString("%25")
		case '?':
			b.WriteString("%3F")
		case '#':
			b.WriteString("%23")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PathOf returns the file a go-sqlite3 data source name opens: for a file:
// URI such as [DSN] writes, its path with the query left out and the escapes
// undone; for a plain path, the DSN up to its options ("bank.db?_fk=on"
// opens bank.db). A path that is not absolute is returned as it is, to be
// read from the working directory.
func PathOf(dsn string) string {
	rest, ok := strings.CutPrefix(dsn, "file:")
	if !ok {
		// go-sqlite3 cuts a plain path at its first '?', unless the
		// DSN starts with one.
		if i := strings.IndexByte(dsn, '?'); i >= 1 {
			return dsn[:i]
		}
		return dsn
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	// "file:///tmp/x.db" and "file://localhost/tmp/x.db" name /tmp/x.db.
	if auth, ok := strings.CutPrefix(rest, "//"); ok {
		if i := strings.IndexByte(auth, '/'); i >= 0 {
			rest = auth[i:]
		}
	}
	if p, err := url.PathUnescape(rest); err == nil {
		rest = p
	}
	return rest
}
