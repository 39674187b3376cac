package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// The handles the workbook reads schemas through.
var (
	_ Querier = (*sql.DB)(nil)
	_ Querier = (*sql.Conn)(nil)
	_ Querier = (*sql.Tx)(nil)
	_ Querier = (*sqlx.DB)(nil)
	_ Querier = (*sqlx.Conn)(nil)
	_ Querier = (*sqlx.Tx)(nil)
)

const mainSchema = `
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name varchar(20) DEFAULT 'anon'
);
CREATE TABLE "order items" (
	order_id INTEGER NOT NULL,
	line INTEGER NOT NULL,
	user_id INTEGER REFERENCES users ON DELETE CASCADE,
	qty DEFAULT 1,
	PRIMARY KEY (line, order_id)
);
CREATE TABLE shipments (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	order_id INTEGER,
	line INTEGER,
	note TEXT,
	FOREIGN KEY (order_id, line) REFERENCES "order items" (order_id, line) ON DELETE SET NULL ON UPDATE CASCADE,
	FOREIGN KEY (line, order_id) REFERENCES "order items" ON DELETE RESTRICT
);
CREATE INDEX shipments_note ON shipments (note COLLATE NOCASE, lower(note));
CREATE TABLE sqlitelike (x);
CREATE VIEW big_orders AS SELECT * FROM "order items" WHERE qty > 10;
INSERT INTO users VALUES (1, 'a@example.com', 'Ann');
INSERT INTO "order items" VALUES (7, 1, 1, 2), (7, 2, 1, 3);
INSERT INTO shipments (order_id, line, note) VALUES (7, 1, 'ok');
`

const attachedSchema = `
CREATE TABLE users (id TEXT PRIMARY KEY, nickname TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id TEXT REFERENCES users (id));
INSERT INTO posts VALUES (1, 'nobody');
`

// The name the second database is attached under: it needs quoting.
const attached = "lesson rows"

// testConn returns a connection to a database made from mainSchema, with
// another made from attachedSchema attached to it under the name attached.
func testConn(t *testing.T) *sql.Conn {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	other, err := sql.Open("sqlite3", DSN(filepath.Join(dir, "other.db"), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(attachedSchema); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", DSN(filepath.Join(dir, "main.db"), Options{ForeignKeys: true}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(mainSchema); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS "lesson rows"`, filepath.Join(dir, "other.db")); err != nil {
		t.Fatal(err)
	}
	return conn
}

func ptr(s string) *string { return &s }

func TestTables(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		schema string
		want   []string
	}{
		// Not sqlite_sequence, which AUTOINCREMENT made, nor the view.
		{"main", []string{"users", "order items", "shipments", "sqlitelike"}},
		{attached, []string{"users", "posts"}},
		{"temp", nil},
	}
	for _, tt := range tests {
		got, err := Tables(context.Background(), conn, tt.schema)
		if err != nil {
			t.Errorf("Tables(%q): %v", tt.schema, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tables(%q) = %q, want %q", tt.schema, got, tt.want)
		}
	}
	if _, err := Tables(context.Background(), conn, "nope"); err == nil {
		t.Error(`Tables("nope") found a schema that is not there`)
	}
}

func TestObjects(t *testing.T) {
	conn := testConn(t)
	got, err := Objects(context.Background(), conn, "main")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range got {
		kinds = append(kinds, o.Type+" "+o.Name)
	}
	// Not the index SQLite made for users.email, nor sqlite_sequence.
	want := []string{"table users", `table order items`, "table shipments", "index shipments_note", "table sqlitelike", "view big_orders"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("Objects = %q, want %q", kinds, want)
	}
	if len(got) > 0 && got[0].SQL == "" {
		t.Errorf("users has no SQL: %+v", got[0])
	}
}

func TestColumns(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		schema, table string
		want          []Column
	}{
		{"main", "users", []Column{
			{Name: "id", Type: "INTEGER", PK: 1},
			{Name: "email", Type: "TEXT", NotNull: true},
			{Name: "name", Type: "varchar(20)", Default: ptr("'anon'")},
		}},
		{"main", "order items", []Column{
			{Name: "order_id", Type: "INTEGER", NotNull: true, PK: 2},
			{Name: "line", Type: "INTEGER", NotNull: true, PK: 1},
			{Name: "user_id", Type: "INTEGER"},
			{Name: "qty", Type: "", Default: ptr("1")},
		}},
		{attached, "users", []Column{
			{Name: "id", Type: "TEXT", NotNull: true, PK: 1},
			{Name: "nickname", Type: "TEXT", NotNull: true},
		}},
		{"main", "nope", nil},
		{attached, "shipments", nil},
	}
	for _, tt := range tests {
		got, err := Columns(context.Background(), conn, tt.schema, tt.table)
		if err != nil {
			t.Errorf("Columns(%q, %q): %v", tt.schema, tt.table, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Columns(%q, %q) =\n%s\nwant\n%s", tt.schema, tt.table, showColumns(got), showColumns(tt.want))
		}
	}
}

func showColumns(cs []Column) string {
	s := ""
	for _, c := range cs {
		def := "<nil>"
		if c.Default != nil {
			def = *c.Default
		}
		s += "\t" + c.Name + " " + c.Type + " default " + def + "\n"
	}
	return s
}

func TestPrimaryKey(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		schema, table string
		want          []string
	}{
		{"main", "users", []string{"id"}},
		{"main", "order items", []string{"line", "order_id"}}, // the key's order, not the columns'
		{"main", "sqlitelike", nil},                           // keyed by rowid
		{attached, "users", []string{"id"}},
		{"main", "nope", nil},
	}
	for _, tt := range tests {
		got, err := PrimaryKey(context.Background(), conn, tt.schema, tt.table)
		if err != nil {
			t.Errorf("PrimaryKey(%q, %q): %v", tt.schema, tt.table, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("PrimaryKey(%q, %q) = %q, want %q", tt.schema, tt.table, got, tt.want)
		}
	}
}

func TestForeignKeys(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		schema, table string
		want          []ForeignKey
	}{
		{"main", "order items", []ForeignKey{
			// The parent's primary key, implicit.
			{ID: 0, Parent: "users", From: []string{"user_id"}, OnUpdate: "NO ACTION", OnDelete: "CASCADE"},
		}},
		{"main", "shipments", []ForeignKey{
			// SQLite numbers the key declared last 0.
			{ID: 0, Parent: "order items", From: []string{"line", "order_id"}, OnUpdate: "NO ACTION", OnDelete: "RESTRICT"},
			{ID: 1, Parent: "order items", From: []string{"order_id", "line"}, To: []string{"order_id", "line"},
				OnUpdate: "CASCADE", OnDelete: "SET NULL"},
		}},
		{attached, "posts", []ForeignKey{
			{ID: 0, Parent: "users", From: []string{"user_id"}, To: []string{"id"}, OnUpdate: "NO ACTION", OnDelete: "NO ACTION"},
		}},
		{"main", "users", nil},
		{"main", "nope", nil},
	}
	for _, tt := range tests {
		got, err := ForeignKeys(context.Background(), conn, tt.schema, tt.table)
		if err != nil {
			t.Errorf("ForeignKeys(%q, %q): %v", tt.schema, tt.table, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ForeignKeys(%q, %q) =\n\t%+v\nwant\n\t%+v", tt.schema, tt.table, got, tt.want)
		}
	}
}

func TestIndexes(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		schema, table string
		want          []Index
	}{
		{"main", "users", []Index{
			{Name: "sqlite_autoindex_users_1", Unique: true, Origin: "u", Columns: []string{"email"}, Collations: []string{"BINARY"}},
		}},
		{"main", "order items", []Index{
			{Name: "sqlite_autoindex_order items_1", Unique: true, Origin: "pk", Columns: []string{"line", "order_id"}, Collations: []string{"BINARY", "BINARY"}},
		}},
		{"main", "shipments", []Index{
			{Name: "shipments_note", Origin: "c", Columns: []string{"note", ""}, Collations: []string{"NOCASE", "BINARY"}},
		}},
		{attached, "users", []Index{
			{Name: "sqlite_autoindex_users_1", Unique: true, Origin: "pk", Columns: []string{"id"}, Collations: []string{"BINARY"}},
		}},
		{"main", "nope", nil},
	}
	for _, tt := range tests {
		got, err := Indexes(context.Background(), conn, tt.schema, tt.table)
		if err != nil {
			t.Errorf("Indexes(%q, %q): %v", tt.schema, tt.table, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Indexes(%q, %q) =\n\t%+v\nwant\n\t%+v", tt.schema, tt.table, got, tt.want)
		}
	}
}

func TestForeignKeyViolations(t *testing.T) {
	conn := testConn(t)
	tests := []struct {
		schema string
		want   []Violation
	}{
		{"main", nil},
		// posts.user_id 'nobody' has no user: found though the connection
		// that wrote it did not enforce foreign keys.
		{attached, []Violation{{Table: "posts", RowID: sql.NullInt64{Int64: 1, Valid: true}, Parent: "users", ForeignKey: 0}}},
	}
	for _, tt := range tests {
		got, err := ForeignKeyViolations(context.Background(), conn, tt.schema)
		if err != nil {
			t.Errorf("ForeignKeyViolations(%q): %v", tt.schema, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ForeignKeyViolations(%q) = %+v, want %+v", tt.schema, got, tt.want)
		}
	}
}

// TestErrors checks that an error names what was being read.
func TestErrors(t *testing.T) {
	conn := testConn(t)
	ctx := context.Background()
	_, err := ForeignKeys(ctx, conn, "nope", "users")
	if err == nil {
		t.Fatal(`ForeignKeys in schema "nope": no error`)
	}
	if want := `sqlite: reading the foreign keys of "users" in "nope": `; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want it to start %q", err, want)
	}
}

func TestCheckClauses(t *testing.T) {
	tests := []struct {
		name, stmt string
		want       []string
	}{
		{"column and table constraints",
			"CREATE TABLE t (a INTEGER CHECK (a > 0), b TEXT check(b IN ('x', 'y')), CHECK (a < 10))",
			[]string{"a > 0", "b IN ('x', 'y')", "a < 10"}},
		{"nested parentheses and folded space",
			"CREATE TABLE t (g INTEGER CHECK (g BETWEEN 0 AND 100 AND (g % 2) = 0\n   ))",
			[]string{"g BETWEEN 0 AND 100 AND (g % 2) = 0"}},
		{"a parenthesis inside quotes",
			"CREATE TABLE t (s TEXT CHECK (s <> ')' AND s <> 'it''s'))",
			[]string{"s <> ')' AND s <> 'it''s'"}},
		{"the word in comments, quotes and names",
			"CREATE TABLE t ( -- CHECK (no) here\n \"check\" INTEGER, checked INTEGER, s TEXT DEFAULT 'CHECK (x)' /* CHECK (y) */)",
			nil},
		{"constraint named", "CREATE TABLE t (a INT, CONSTRAINT positive CHECK(a>0))", []string{"a>0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckClauses(tc.stmt); !slices.Equal(got, tc.want) {
				t.Errorf("CheckClauses = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	stmt := "CREATE TABLE t ( -- a comment\n id INTEGER PRIMARY KEY, \"Quoted Name\" TEXT DEFAULT 'x y', n2 REAL DEFAULT 1.5e3 /* no */)"
	want := []string{"CREATE", "TABLE", "T", "ID", "INTEGER", "PRIMARY", "KEY", "TEXT", "DEFAULT", "N2", "REAL", "DEFAULT"}
	if got := Words(stmt); !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}
