package stmtlog_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
)

const schema = `
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE expenses (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	amount_cents INTEGER NOT NULL
);
INSERT INTO users VALUES (1, 'Alice'), (2, 'Bob'), (3, 'Carol');
INSERT INTO expenses VALUES (1, 1, 5250), (2, 1, 1875), (3, 1, 4500), (4, 2, 2500);
`

// open returns a counted handle on a fresh database holding schema, and its
// log, emptied of the set-up statements.
func open(t *testing.T) (*sqlx.DB, *stmtlog.Log) {
	t.Helper()
	log := new(stmtlog.Log)
	dsn := "file:" + filepath.Join(t.TempDir(), "test.db") + "?_foreign_keys=on"
	db := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, nil)), "sqlite3")
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	return db, log
}

func TestCounting(t *testing.T) {
	tests := []struct {
		name      string
		run       func(t *testing.T, db *sqlx.DB)
		wantCount int
		wantKinds []stmtlog.Kind
	}{
		{
			name: "query",
			run: func(t *testing.T, db *sqlx.DB) {
				var names []string
				must(t, db.Select(&names, "SELECT name FROM users ORDER BY id"))
			},
			wantCount: 1,
			wantKinds: []stmtlog.Kind{stmtlog.KindStatement},
		},
		{
			name: "prepared statement counts once per execution",
			run: func(t *testing.T, db *sqlx.DB) {
				st, err := db.Preparex("SELECT name FROM users WHERE id = ?")
				must(t, err)
				defer st.Close()
				for id := 1; id <= 3; id++ {
					var name string
					must(t, st.Get(&name, id))
				}
			},
			wantCount: 3,
			wantKinds: []stmtlog.Kind{stmtlog.KindStatement, stmtlog.KindStatement, stmtlog.KindStatement},
		},
		{
			name:      "an exec of two statements is two",
			run:       execs("UPDATE users SET name = 'A' WHERE id = 1; UPDATE users SET name = 'B' WHERE id = 2"),
			wantCount: 2,
			wantKinds: []stmtlog.Kind{stmtlog.KindStatement, stmtlog.KindStatement},
		},
		{
			name:      "a transaction in one exec",
			run:       execs("BEGIN; DELETE FROM expenses WHERE id = 4; COMMIT;"),
			wantCount: 1,
			wantKinds: []stmtlog.Kind{stmtlog.KindBegin, stmtlog.KindStatement, stmtlog.KindCommit},
		},
		{
			name:      "cascade is not a statement",
			run:       execs("DELETE FROM users WHERE id = 1"),
			wantCount: 1,
			wantKinds: []stmtlog.Kind{stmtlog.KindStatement},
		},
		{
			name: "transaction control is listed apart",
			run: func(t *testing.T, db *sqlx.DB) {
				tx, err := db.Beginx()
				must(t, err)
				_, err = tx.Exec("INSERT INTO users (name) VALUES (?)", "Dave")
				must(t, err)
				must(t, tx.Commit())
				tx, err = db.Beginx()
				must(t, err)
				must(t, tx.Rollback())
			},
			wantCount: 1,
			wantKinds: []stmtlog.Kind{stmtlog.KindBegin, stmtlog.KindStatement, stmtlog.KindCommit, stmtlog.KindBegin, stmtlog.KindRollback},
		},
		{
			name: "transaction control as SQL text",
			run: func(t *testing.T, db *sqlx.DB) {
				conn, err := db.Connx(context.Background())
				must(t, err)
				defer conn.Close()
				for _, q := range []string{"BEGIN", "SAVEPOINT a", "RELEASE a", "COMMIT"} {
					_, err := conn.ExecContext(context.Background(), q)
					must(t, err)
				}
			},
			wantCount: 0,
			wantKinds: []stmtlog.Kind{stmtlog.KindBegin, stmtlog.KindBegin, stmtlog.KindCommit, stmtlog.KindCommit},
		},
		{
			name: "a failed statement still counts",
			run: func(t *testing.T, db *sqlx.DB) {
				_, err := db.Exec("INSERT INTO expenses (user_id, amount_cents) VALUES (99, 1)")
				if err == nil {
					t.Fatal("insert for a missing user succeeded")
				}
			},
			wantCount: 1,
			wantKinds: []stmtlog.Kind{stmtlog.KindStatement},
		},
		{
			name: "sqlx.In expands to one statement",
			run: func(t *testing.T, db *sqlx.DB) {
				q, args, err := sqlx.In("SELECT amount_cents FROM expenses WHERE user_id IN (?)", []int{1, 2})
				must(t, err)
				var amounts []int64
				must(t, db.Select(&amounts, db.Rebind(q), args...))
			},
			wantCount: 1,
			wantKinds: []stmtlog.Kind{stmtlog.KindStatement},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, log := open(t)
			tt.run(t, db)
			if got := log.Count(); got != tt.wantCount {
				t.Errorf("Count() = %d, want %d", got, tt.wantCount)
			}
			var kinds []stmtlog.Kind
			for i, e := range log.Entries() {
				kinds = append(kinds, e.Kind)
				if e.Seq != i+1 {
					t.Errorf("entry %d has Seq %d", i+1, e.Seq)
				}
			}
			if !reflect.DeepEqual(kinds, tt.wantKinds) {
				t.Errorf("kinds = %v, want %v", kinds, tt.wantKinds)
			}
		})
	}
}

func TestEntryDetails(t *testing.T) {
	db, log := open(t)
	var amounts []int64
	must(t, db.Select(&amounts, "SELECT amount_cents FROM expenses WHERE user_id = ? ORDER BY id", 1))
	res, err := db.Exec("UPDATE expenses SET amount_cents = amount_cents + 1 WHERE user_id = ?", int64(1))
	must(t, err)
	if n, _ := res.RowsAffected(); n != 3 {
		t.Fatalf("RowsAffected = %d", n)
	}
	_, err = db.Exec("INSERT INTO expenses (user_id, amount_cents) VALUES (?, ?)", 42, 100)
	if err == nil {
		t.Fatal("want a foreign key error")
	}

	got := log.Statements()
	if len(got) != 3 {
		t.Fatalf("got %d statements, want 3", len(got))
	}
	q, upd, bad := got[0], got[1], got[2]
	if !q.Query || q.Rows != 3 || !reflect.DeepEqual(q.Args, []any{int64(1)}) {
		t.Errorf("query entry = %+v, want a query of 3 rows with args [1]", q)
	}
	if upd.Query || upd.Rows != 3 || upd.Err != "" {
		t.Errorf("update entry = %+v, want an exec changing 3 rows", upd)
	}
	if bad.Err != "FOREIGN KEY constraint failed" {
		t.Errorf("failed insert recorded error %q", bad.Err)
	}
	if q.Duration <= 0 {
		t.Errorf("query duration = %v, want > 0", q.Duration)
	}
}

func TestRowsCountWhatWasRead(t *testing.T) {
	db, log := open(t)
	rows, err := db.Query("SELECT id FROM expenses ORDER BY id")
	must(t, err)
	rows.Next()
	rows.Next()
	must(t, rows.Close())
	if got := log.Statements()[0].Rows; got != 2 {
		t.Errorf("Rows = %d after reading two rows, want 2", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	db, log := open(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				var n int
				if err := db.Get(&n, "SELECT count(*) FROM users"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := log.Count(); got != 80 {
		t.Errorf("Count() = %d, want 80", got)
	}
}

func TestUnwrapReachesSQLite(t *testing.T) {
	db, log := open(t)
	conn, err := db.Conn(context.Background())
	must(t, err)
	defer conn.Close()
	var deleted []string
	must(t, conn.Raw(func(dc any) error {
		c, ok := dc.(*stmtlog.Conn)
		if !ok {
			t.Fatalf("driver connection is %T, want *stmtlog.Conn", dc)
		}
		stmtlog.Underlying(c).RegisterUpdateHook(func(op int, _, table string, rowid int64) {
			if op == sqlite3.SQLITE_DELETE {
				deleted = append(deleted, table)
			}
		})
		return nil
	}))
	_, err = conn.ExecContext(context.Background(), "DELETE FROM users WHERE id = 1")
	must(t, err)
	// The cascade removed Alice's three expenses: SQLite's work, not a statement.
	if log.Count() != 1 {
		t.Errorf("Count() = %d, want 1", log.Count())
	}
	if len(deleted) != 4 {
		t.Errorf("update hook saw deletes %v, want users and three expenses", deleted)
	}
}

// TestForwardsDriverInterfaces proves the wrapper implements exactly the
// optional database/sql/driver interfaces go-sqlite3 implements, so that
// database/sql takes the same code paths with and without counting.
func TestForwardsDriverInterfaces(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "x.db")
	raw, err := (&sqlite3.SQLiteDriver{}).Open(dsn)
	must(t, err)
	defer raw.Close()
	wrapped, err := stmtlog.NewConnector(dsn, new(stmtlog.Log), nil).Connect(ctx)
	must(t, err)
	defer wrapped.Close()

	connIfaces := []any{
		(*driver.Conn)(nil), (*driver.ConnPrepareContext)(nil), (*driver.ConnBeginTx)(nil),
		(*driver.Execer)(nil), (*driver.ExecerContext)(nil), (*driver.Queryer)(nil),
		(*driver.QueryerContext)(nil), (*driver.Pinger)(nil), (*driver.SessionResetter)(nil),
		(*driver.NamedValueChecker)(nil), (*driver.ColumnConverter)(nil),
	}
	sameInterfaces(t, "conn", raw, wrapped, connIfaces)
	// One more, of the wrapper's own: a connection opened before the
	// Connector's last Retarget is not reused.
	if _, ok := wrapped.(driver.Validator); !ok {
		t.Error("the wrapper's connection does not implement driver.Validator")
	}

	rawStmt, err := raw.Prepare("SELECT 1")
	must(t, err)
	defer rawStmt.Close()
	wStmt, err := wrapped.Prepare("SELECT 1")
	must(t, err)
	defer wStmt.Close()
	stmtIfaces := []any{
		(*driver.Stmt)(nil), (*driver.StmtExecContext)(nil), (*driver.StmtQueryContext)(nil),
		(*driver.NamedValueChecker)(nil), (*driver.ColumnConverter)(nil),
	}
	sameInterfaces(t, "stmt", rawStmt, wStmt, stmtIfaces)

	rawRows, err := raw.(driver.QueryerContext).QueryContext(ctx, "SELECT 1", nil)
	must(t, err)
	defer rawRows.Close()
	wRows, err := wrapped.(driver.QueryerContext).QueryContext(ctx, "SELECT 1", nil)
	must(t, err)
	defer wRows.Close()
	rowsIfaces := []any{
		(*driver.Rows)(nil), (*driver.RowsNextResultSet)(nil),
		(*driver.RowsColumnTypeDatabaseTypeName)(nil), (*driver.RowsColumnTypeLength)(nil),
		(*driver.RowsColumnTypeNullable)(nil), (*driver.RowsColumnTypePrecisionScale)(nil),
		(*driver.RowsColumnTypeScanType)(nil),
	}
	sameInterfaces(t, "rows", rawRows, wRows, rowsIfaces)
}

func sameInterfaces(t *testing.T, what string, raw, wrapped any, ifaces []any) {
	t.Helper()
	for _, p := range ifaces {
		it := reflect.TypeOf(p).Elem()
		r := reflect.TypeOf(raw).Implements(it)
		w := reflect.TypeOf(wrapped).Implements(it)
		if r != w {
			t.Errorf("%s: go-sqlite3 implements %v: %v; wrapper: %v", what, it, r, w)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSetupRunsOnEveryConnectionUnrecorded(t *testing.T) {
	log := new(stmtlog.Log)
	dsn := "file:" + filepath.Join(t.TempDir(), "init.db")
	setup := func(sc *sqlite3.SQLiteConn) error {
		_, err := sc.Exec("PRAGMA reverse_unordered_selects = ON", nil)
		return err
	}
	db := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, setup)), "sqlite3")
	defer db.Close()
	ctx := context.Background()
	var conns []*sql.Conn
	for i := 0; i < 3; i++ { // three connections at once: three inits
		c, err := db.Conn(ctx)
		must(t, err)
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var on int
		must(t, c.QueryRowContext(ctx, "PRAGMA reverse_unordered_selects").Scan(&on))
		if on != 1 {
			t.Errorf("connection %d: reverse_unordered_selects = %d, want 1", i+1, on)
		}
	}
	if got := log.Count(); got != 3 {
		t.Errorf("Count() = %d, want the 3 reads and no init", got)
	}
}

func TestLatency(t *testing.T) {
	const latency = 20 * time.Millisecond
	tests := []struct {
		name      string
		run       func(t *testing.T, db *sqlx.DB)
		wantWaits int // entries that waited one round trip each
	}{
		{
			name: "a query waits once",
			run: func(t *testing.T, db *sqlx.DB) {
				var names []string
				must(t, db.Select(&names, "SELECT name FROM users ORDER BY id"))
			},
			wantWaits: 1,
		},
		{
			name: "each statement waits",
			run: func(t *testing.T, db *sqlx.DB) {
				for id := 1; id <= 3; id++ {
					var n int
					must(t, db.Get(&n, "SELECT count(*) FROM expenses WHERE user_id = ?", id))
				}
			},
			wantWaits: 3,
		},
		{
			name: "a prepared statement waits per execution, not to prepare",
			run: func(t *testing.T, db *sqlx.DB) {
				st, err := db.Preparex("UPDATE users SET name = name WHERE id = ?")
				must(t, err)
				defer st.Close()
				_, err = st.Exec(1)
				must(t, err)
				_, err = st.Exec(2)
				must(t, err)
			},
			wantWaits: 2,
		},
		{
			name: "transaction control is a round trip too",
			run: func(t *testing.T, db *sqlx.DB) {
				tx, err := db.Beginx()
				must(t, err)
				_, err = tx.Exec("INSERT INTO users (name) VALUES (?)", "Dave")
				must(t, err)
				must(t, tx.Commit())
			},
			wantWaits: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := new(stmtlog.Log)
			dsn := "file:" + filepath.Join(t.TempDir(), "test.db") + "?_foreign_keys=on"
			setupDB := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, nil, nil)), "sqlite3")
			_, err := setupDB.Exec(schema)
			must(t, err)
			setupDB.Close()

			conn := stmtlog.NewConnector(dsn, log, nil)
			conn.SetLatency(latency)
			db := sqlx.NewDb(sql.OpenDB(conn), "sqlite3")
			defer db.Close()
			began := time.Now()
			tt.run(t, db)
			took := time.Since(began)

			entries := log.Entries()
			waits := 0
			for _, e := range entries {
				if e.Wait >= latency {
					waits++
				}
				if e.Duration >= latency {
					t.Errorf("entry %d: Duration %v holds the simulated wait", e.Seq, e.Duration)
				}
			}
			if waits != tt.wantWaits || len(entries) != tt.wantWaits {
				t.Errorf("%d of %d entries waited a round trip, want %d of %d", waits, len(entries), tt.wantWaits, tt.wantWaits)
			}
			if min := time.Duration(tt.wantWaits) * latency; took < min {
				t.Errorf("the calls took %v, want at least %v", took, min)
			}
			inside, waited := log.Time()
			if waited < time.Duration(tt.wantWaits)*latency || inside <= 0 || inside >= latency {
				t.Errorf("Time() = %v inside, %v waited; want %d round trips waited and SQLite's time apart", inside, waited, tt.wantWaits)
			}
		})
	}
}

func TestNoLatencyByDefault(t *testing.T) {
	db, log := open(t)
	var n int
	must(t, db.Get(&n, "SELECT count(*) FROM users"))
	if e := log.Statements()[0]; e.Wait != 0 {
		t.Errorf("Wait = %v without a latency, want 0", e.Wait)
	}
	if _, waited := log.Time(); waited != 0 {
		t.Errorf("Time() waited %v without a latency", waited)
	}
}

// TestLockedBy checks that a write that must wait for another open
// transaction of the log's, one that has written, names that transaction's
// BEGIN, and says whether it ran in a transaction of its own.
func TestLockedBy(t *testing.T) {
	log := new(stmtlog.Log)
	dsn := "file:" + filepath.Join(t.TempDir(), "test.db") + "?_busy_timeout=50"
	db := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, nil)), "sqlite3")
	t.Cleanup(func() { db.Close() })
	must(t, exec(db, schema))
	log.Reset()

	first, err := db.Beginx()
	must(t, err)
	defer first.Rollback()
	_, err = first.Exec("INSERT INTO users (name) VALUES ('Dave')")
	must(t, err)
	// Through db, outside any transaction.
	_, errOutside := db.Exec("INSERT INTO users (name) VALUES ('Erin')")
	// In a second transaction.
	second, err := db.Beginx()
	must(t, err)
	defer second.Rollback()
	_, errInside := second.Exec("INSERT INTO users (name) VALUES ('Frank')")
	if errOutside == nil || errInside == nil {
		t.Fatalf("the writes beside an open transaction did not wait: %v, %v", errOutside, errInside)
	}
	var got []string
	for _, e := range log.Entries() {
		got = append(got, fmt.Sprintf("%s locked-by %d in-tx %v", e.SQL, e.LockedBy, e.InTx))
	}
	want := []string{
		"BEGIN locked-by 0 in-tx false",
		"INSERT INTO users (name) VALUES ('Dave') locked-by 0 in-tx true",
		"INSERT INTO users (name) VALUES ('Erin') locked-by 1 in-tx false",
		"BEGIN locked-by 0 in-tx false",
		"INSERT INTO users (name) VALUES ('Frank') locked-by 1 in-tx true",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func exec(db *sqlx.DB, query string) error {
	_, err := db.Exec(query)
	return err
}

// TestExecOfSeveralStatements checks that each statement of one Exec is
// its own entry, with its own arguments, and that it runs as go-sqlite3
// runs the whole text: in order, the first failure stopping the rest.
func TestExecOfSeveralStatements(t *testing.T) {
	db, log := open(t)
	_, err := db.Exec(`UPDATE users SET name = ? WHERE id = ?; -- a comment; with a semicolon
		UPDATE users SET name = 'x;y' WHERE id = $id;
		CREATE TRIGGER keep AFTER DELETE ON users BEGIN INSERT INTO users (name) VALUES ('kept'); END;
		DELETE FROM users WHERE id = ?;;`, "A", 1, sql.Named("id", 2), 3)
	must(t, err)
	must(t, db.Get(new(int), "SELECT count(*) FROM users WHERE id = ?", 1))
	var got []string
	for _, e := range log.Statements() {
		got = append(got, fmt.Sprintf("%s %v batch %d", strings.Join(strings.Fields(e.SQL), " "), e.Args, e.Batch))
	}
	// Each statement of the text holds the Seq of its first; a statement
	// sent alone, none.
	want := []string{
		"UPDATE users SET name = ? WHERE id = ?; [A 1 2] batch 1",
		"-- a comment; with a semicolon UPDATE users SET name = 'x;y' WHERE id = $id; [2] batch 1",
		"CREATE TRIGGER keep AFTER DELETE ON users BEGIN INSERT INTO users (name) VALUES ('kept'); END; [2] batch 1",
		"DELETE FROM users WHERE id = ?; [3 2] batch 1",
		"SELECT count(*) FROM users WHERE id = ? [1] batch 0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var names []string
	must(t, db.Select(&names, "SELECT name FROM users ORDER BY id"))
	if strings.Join(names, ",") != "A,x;y,kept" {
		t.Errorf("users: %v, want A, x;y, kept", names)
	}

	log.Reset()
	_, err = db.Exec("DELETE FROM expenses WHERE id = 4; INSERT INTO expenses (user_id, amount_cents) VALUES (99, 1); DELETE FROM expenses")
	if err == nil {
		t.Fatal("an insert for a missing user succeeded")
	}
	if n := log.Count(); n != 2 {
		t.Errorf("Count() = %d after a failure in the second of three statements, want 2", n)
	}
	var left int
	must(t, db.Get(&left, "SELECT count(*) FROM expenses"))
	if left != 3 {
		t.Errorf("%d expenses left, want 3: the first DELETE runs, the last does not", left)
	}
}

// TestPooledControl checks that transaction control sent as text through
// the pool is marked, and through one connection is not.
func TestPooledControl(t *testing.T) {
	db, log := open(t)
	_, err := db.Exec("BEGIN")
	must(t, err)
	_, err = db.Exec("COMMIT")
	must(t, err)
	conn, err := db.Connx(context.Background())
	must(t, err)
	defer conn.Close()
	for _, q := range []string{"BEGIN", "COMMIT"} {
		_, err := conn.ExecContext(context.Background(), q)
		must(t, err)
	}
	tx, err := db.Beginx()
	must(t, err)
	_, err = tx.Exec("SAVEPOINT a")
	must(t, err)
	must(t, tx.Commit())
	var pooled []bool
	for _, e := range log.Entries() {
		pooled = append(pooled, e.Pooled)
	}
	if want := []bool{true, true, false, false, false, false, false}; !reflect.DeepEqual(pooled, want) {
		t.Errorf("Pooled = %v, want %v", pooled, want)
	}
}

// TestForeignKeysLeftOff checks that a connection whose foreign keys a
// statement turned off, and none turned on again, is reported.
func TestForeignKeysLeftOff(t *testing.T) {
	for _, tt := range []struct {
		name  string
		stmts []string
		off   string
	}{
		{"never touched", nil, ""},
		{"off", []string{"PRAGMA foreign_keys = OFF"}, "PRAGMA foreign_keys = OFF"},
		{"off in a text of several", []string{"PRAGMA foreign_keys=0; DELETE FROM users WHERE id = 3"}, "PRAGMA foreign_keys=0;"},
		{"off, then on", []string{"pragma foreign_keys(false)", "PRAGMA main.foreign_keys = 'on'"}, ""},
		{"read, not set", []string{"PRAGMA foreign_keys"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, log := open(t)
			db.SetMaxOpenConns(1)
			for _, q := range tt.stmts {
				_, err := db.Exec(q)
				must(t, err)
			}
			e, off := log.ForeignKeysLeftOff()
			if got := strings.TrimSpace(e.SQL); off != (tt.off != "") || got != tt.off {
				t.Errorf("ForeignKeysLeftOff() = %q, %v; want %q", got, off, tt.off)
			}
		})
	}
}

// execs returns a run that sends query in one call of Exec.
func execs(query string) func(*testing.T, *sqlx.DB) {
	return func(t *testing.T, db *sqlx.DB) {
		_, err := db.Exec(query)
		must(t, err)
	}
}
