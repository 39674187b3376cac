package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"workbook/internal/dbview"
	"workbook/internal/sqlite"
)

// Session is a scratchpad: one connection, with foreign keys enforced, to a
// throwaway copy of a data set, on which any statement may run. After each
// statement that is not a query it compares every table with how it was,
// so that it can say what the statement changed, cascades included.
//
// Tables are read as the checker reads them for its table states, with
// [sqlite.ReadKeyedRows]: rows keyed by primary key, compared before and
// after.
type Session struct {
	db    *sql.DB
	conn  *sql.Conn
	state map[string]*tableState // every table as it is now
	order []string               // the tables in the order they were made
	rows  int                    // the rows a result shows
	shown int                    // the rows each kind of change to a table shows
}

// OpenSession opens a session on the database at path, which must be a
// copy the session may change (see [FreshCopy]). rows bounds the rows a
// query's result shows, and shown the rows a change to a table shows of
// each kind (added, removed, updated).
func OpenSession(ctx context.Context, path string, rows, shown int) (*Session, error) {
	db, err := sql.Open("sqlite3", sqlite.DSN(path, sqlite.Options{ForeignKeys: true}))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	// The session writes its one copy, and no other file: ATTACH (and
	// VACUUM INTO, which attaches the file it writes) could open and change
	// any database, the seeded ones among them.
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not SQLite's", dc)
		}
		sc.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
		sc.RegisterAuthorizer(func(op int, _, _, _ string) int {
			if op == sqlite3.SQLITE_ATTACH || op == sqlite3.SQLITE_DETACH {
				return sqlite3.SQLITE_DENY
			}
			return sqlite3.SQLITE_OK
		})
		return nil
	})
	if err != nil {
		conn.Close()
		db.Close()
		return nil, err
	}
	s := &Session{db: db, conn: conn, rows: rows, shown: shown}
	if s.state, s.order, err = s.snapshot(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("reading the tables: %w", err)
	}
	return s, nil
}

// firstWordOf returns the first word of a statement, after white space and
// comments.
func firstWordOf(stmt string) string {
	s := strings.TrimSpace(stmt)
	for strings.HasPrefix(s, "--") || strings.HasPrefix(s, "/*") {
		if strings.HasPrefix(s, "--") {
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = strings.TrimSpace(s[i+1:])
				continue
			}
			return ""
		}
		if i := strings.Index(s, "*/"); i >= 0 {
			s = strings.TrimSpace(s[i+2:])
			continue
		}
		return ""
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
	if end < 0 {
		return s
	}
	return s[:end]
}

// Tables returns the names of the tables, in the order they were made.
func (s *Session) Tables() []string { return append([]string(nil), s.order...) }

// Close closes the session's connection.
func (s *Session) Close() error {
	s.conn.Close()
	return s.db.Close()
}

// Run runs one statement, as [Split] cuts them, and says what it did. A
// statement that fails is a Statement with its Error, and a nil error; the
// error is for a session that cannot go on (the tables could not be read).
func (s *Session) Run(ctx context.Context, stmt string) (dbview.Statement, error) {
	st := dbview.Statement{SQL: stmt}
	switch w := strings.ToUpper(firstWordOf(stmt)); w {
	case "ATTACH", "DETACH", "VACUUM":
		st.Error = w + " is refused here: the scratchpad changes its one throwaway copy of the data set, and " +
			w + " would open or write another database file."
		return st, nil
	}
	readonly, err := s.readonly(stmt)
	if err != nil {
		st.Error = message(err)
		return st, nil
	}
	if readonly {
		r, err := s.query(ctx, stmt)
		if err != nil {
			st.Error = message(err)
			return st, nil
		}
		st.Result = r
		if len(r.Columns) > 0 {
			return st, nil // a query: it changed nothing
		}
		// BEGIN, COMMIT, ROLLBACK and the like count as reading, but a
		// ROLLBACK puts rows back: compare.
	} else {
		res, err := s.conn.ExecContext(ctx, stmt)
		if err != nil {
			st.Error = message(err)
			return st, nil
		}
		if n, err := res.RowsAffected(); err == nil && isDML(stmt) {
			st.Affected = &n
		}
	}
	now, order, err := s.snapshot(ctx)
	if err != nil {
		return st, fmt.Errorf("reading the tables after %q: %w", stmt, err)
	}
	st.Wrote = true
	st.Changes = diff(s.state, s.order, now, order, s.shown)
	s.state, s.order = now, order
	return st, nil
}

// readonly reports whether stmt only reads (SQLite's sqlite3_stmt_readonly),
// preparing it and throwing it away; a statement that does not prepare
// returns SQLite's error.
func (s *Session) readonly(stmt string) (bool, error) {
	var ro bool
	err := s.conn.Raw(func(dc any) error {
		sc, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not SQLite's", dc)
		}
		ps, err := sc.Prepare(stmt)
		if err != nil {
			return err
		}
		defer ps.Close()
		ro = ps.(*sqlite3.SQLiteStmt).Readonly()
		return nil
	})
	return ro, err
}

// query runs stmt and returns its columns and up to s.rows of its rows.
func (s *Session) query(ctx context.Context, stmt string) (*dbview.Result, error) {
	rows, err := s.conn.QueryContext(ctx, stmt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return readResult(rows, s.rows)
}

// readResult reads the columns and up to limit rows of rows, counting them
// all.
func readResult(rows *sql.Rows, limit int) (*dbview.Result, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	r := &dbview.Result{Columns: cols}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		r.Total++
		if len(r.Rows) >= limit {
			continue
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]*string, len(cols))
		for i, v := range values {
			row[i] = text(v)
		}
		r.Rows = append(r.Rows, row)
	}
	return r, rows.Err()
}

// isDML reports whether stmt is an INSERT, UPDATE, DELETE or REPLACE (maybe
// after a WITH), the statements whose changes() count means something:
// after any other, changes() still holds the count of the last of those.
func isDML(stmt string) bool {
	words := strings.FieldsFunc(strings.ToLower(stripComments(stmt)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '_')
	})
	if len(words) == 0 {
		return false
	}
	dml := func(w string) bool { return w == "insert" || w == "update" || w == "delete" || w == "replace" }
	if words[0] == "with" {
		return slices.ContainsFunc(words, dml)
	}
	return dml(words[0])
}

// stripComments returns stmt without its leading comments.
func stripComments(stmt string) string {
	for {
		stmt = strings.TrimSpace(stmt)
		switch {
		case strings.HasPrefix(stmt, "--"):
			i := strings.IndexByte(stmt, '\n')
			if i < 0 {
				return ""
			}
			stmt = stmt[i+1:]
		case strings.HasPrefix(stmt, "/*"):
			i := strings.Index(stmt, "*/")
			if i < 0 {
				return ""
			}
			stmt = stmt[i+2:]
		default:
			return stmt
		}
	}
}

// message returns SQLite's message for err, and for a foreign key that
// refused a statement, what that means.
func message(err error) string {
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey {
		return se.Error() + " (foreign keys are on, as in the checks: a row still refers to the row it would change or delete, or a new value refers to no row)"
	}
	return err.Error()
}

// tableState is a table's rows at one moment, by key.
type tableState struct {
	cols []string
	key  []string             // the columns of the key; nil for the rowid
	rows map[string][]*string // the key, as JSON, to the row's values
	keys []string             // the keys in the table's order
}

// snapshot reads every table.
func (s *Session) snapshot(ctx context.Context) (map[string]*tableState, []string, error) {
	names, err := sqlite.Tables(ctx, s.conn, "main")
	if err != nil {
		return nil, nil, err
	}
	out := map[string]*tableState{}
	for _, name := range names {
		t, err := s.loadTable(ctx, name)
		if err != nil {
			return nil, nil, fmt.Errorf("table %s: %w", name, err)
		}
		out[name] = t
	}
	return out, names, nil
}

func (s *Session) loadTable(ctx context.Context, name string) (*tableState, error) {
	r, err := sqlite.ReadKeyedRows(ctx, s.conn, "main", name)
	if err != nil {
		return nil, err
	}
	t := &tableState{cols: r.Columns, key: r.KeyColumns, keys: r.Keys, rows: map[string][]*string{}}
	for _, key := range r.Keys {
		row := make([]*string, len(r.Columns))
		for i, v := range r.Rows[key] {
			row[i] = text(v)
		}
		t.rows[key] = row
	}
	return t, nil
}

// diff compares every table now with before: those that changed, in the
// order they were made (a dropped table where it was).
func diff(before map[string]*tableState, beforeOrder []string, now map[string]*tableState, nowOrder []string, limit int) []dbview.TableChange {
	var out []dbview.TableChange
	for _, name := range beforeOrder {
		was, is := before[name], now[name]
		if is == nil {
			out = append(out, dbview.TableChange{Table: name, Before: len(was.keys), After: 0, Dropped: true})
			continue
		}
		if c, changed := diffTable(name, was, is, limit); changed {
			out = append(out, c)
		}
	}
	for _, name := range nowOrder {
		if before[name] != nil {
			continue
		}
		is := now[name]
		c, _ := diffTable(name, &tableState{cols: is.cols, rows: map[string][]*string{}}, is, limit)
		c.Created = true
		out = append(out, c)
	}
	return out
}

func diffTable(name string, was, is *tableState, limit int) (dbview.TableChange, bool) {
	c := dbview.TableChange{Table: name, Before: len(was.keys), After: len(is.keys)}
	sameCols := strings.Join(was.cols, "\x00") == strings.Join(is.cols, "\x00")
	for _, k := range was.keys {
		now, ok := is.rows[k]
		switch {
		case !ok:
			c.Removed++
			if len(c.RemovedShown) < limit {
				c.RemovedShown = append(c.RemovedShown, showRow(was.cols, was.rows[k]))
			}
		case sameCols && !sameRow(was.rows[k], now):
			c.Updated++
			if len(c.UpdatedShown) < limit {
				c.UpdatedShown = append(c.UpdatedShown, showUpdate(was, is, k))
			}
		}
	}
	for _, k := range is.keys {
		if _, ok := was.rows[k]; !ok {
			c.Added++
			if len(c.AddedShown) < limit {
				c.AddedShown = append(c.AddedShown, showRow(is.cols, is.rows[k]))
			}
		}
	}
	return c, c.Added+c.Removed+c.Updated > 0 || !sameCols
}

func sameRow(a, b []*string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || a[i] != nil && *a[i] != *b[i] {
			return false
		}
	}
	return true
}

// showRow writes a row as "id=1, name=Alice".
func showRow(cols []string, row []*string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + "=" + value(row[i])
	}
	return strings.Join(parts, ", ")
}

// showUpdate writes an updated row as its key and each column that
// changed: "id=3: split_with 1 -> NULL".
func showUpdate(was, is *tableState, key string) string {
	old, now := was.rows[key], is.rows[key]
	var id []string
	keyCols := is.key
	if len(keyCols) == 0 {
		id = append(id, "rowid="+strings.Trim(key, "[]"))
	}
	var changed []string
	for i, c := range is.cols {
		for _, k := range keyCols {
			if k == c {
				id = append(id, c+"="+value(now[i]))
			}
		}
		if value(old[i]) != value(now[i]) || (old[i] == nil) != (now[i] == nil) {
			changed = append(changed, fmt.Sprintf("%s %s -> %s", c, value(old[i]), value(now[i])))
		}
	}
	return strings.Join(id, ", ") + ": " + strings.Join(changed, ", ")
}

// value writes a value as a row shows it: NULL, or its text.
func value(v *string) string {
	if v == nil {
		return "NULL"
	}
	return *v
}
