package sqlite

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

func TestDSN(t *testing.T) {
	tests := []struct {
		name string
		path string
		o    Options
		want string
	}{
		{"foreign keys off", "/tmp/x/bank.db", Options{}, "file:/tmp/x/bank.db?_foreign_keys=off"},
		{"the checker's handle", "/tmp/x/bank.db", Options{ForeignKeys: true, BusyTimeout: DefaultBusyTimeout},
			"file:/tmp/x/bank.db?_foreign_keys=on&_busy_timeout=3000"},
		{"a timeout rounded up to the millisecond", "x.db", Options{BusyTimeout: 1500 * time.Microsecond},
			"file:x.db?_foreign_keys=off&_busy_timeout=2"},
		{"read-only", "data/bank.db", Options{ReadOnly: true, QueryOnly: true},
			"file:data/bank.db?_foreign_keys=off&mode=ro&_query_only=true"},
		{"a space is left as it is", "/tmp/my data/x.db", Options{ForeignKeys: true},
			"file:/tmp/my data/x.db?_foreign_keys=on"},
		{"? # and % are escaped", "/tmp/a?b#c%41/x.db", Options{ForeignKeys: true},
			"file:/tmp/a%3Fb%23c%2541/x.db?_foreign_keys=on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DSN(tt.path, tt.o)
			if got != tt.want {
				t.Errorf("DSN(%q, %+v) = %q, want %q", tt.path, tt.o, got, tt.want)
			}
			if p := PathOf(got); p != tt.path {
				t.Errorf("PathOf(%q) = %q, want %q", got, p, tt.path)
			}
		})
	}
}

func TestPathOf(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"file:/tmp/x/bank.db?_foreign_keys=on", "/tmp/x/bank.db"},
		{"file:/tmp/x/bank.db", "/tmp/x/bank.db"},
		{"file:/tmp/a%3Fb.db?mode=ro", "/tmp/a?b.db"},
		{"file:/tmp/x.db#fragment", "/tmp/x.db"},
		{"file:///tmp/x.db?_fk=1", "/tmp/x.db"},
		{"file://localhost/tmp/x.db", "/tmp/x.db"},
		{"file:/tmp/100%.db", "/tmp/100%.db"}, // not an escape: left as it is
		{"bank.db?_fk=on", "bank.db"},
		{"/tmp/a%3Fb.db", "/tmp/a%3Fb.db"}, // a plain path has no escapes
		{":memory:", ":memory:"},
	}
	for _, tt := range tests {
		if got := PathOf(tt.dsn); got != tt.want {
			t.Errorf("PathOf(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

// TestDSNOpens opens databases through DSN at paths holding the characters a
// URI gives a meaning to, and checks that the file made is the one named and
// that the settings hold.
func TestDSNOpens(t *testing.T) {
	for _, dir := range []string{"plain", "with space", "what?", "hash#tag", "100%", "%41"} {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), dir, "x.db")
			if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("sqlite3", DSN(path, Options{ForeignKeys: true, BusyTimeout: DefaultBusyTimeout}))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY)`); err != nil {
				t.Fatal(err)
			}
			var fk, timeout int
			if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil {
				t.Fatal(err)
			}
			if fk != 1 || timeout != 3000 {
				t.Errorf("foreign_keys = %d, busy_timeout = %d; want 1 and 3000", fk, timeout)
			}
			var file string
			if err := db.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
				t.Fatal(err)
			}
			if file != path {
				t.Errorf("SQLite opened %q, want %q", file, path)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("no database at the path named: %v", err)
			}
			db.Close()

			ro, err := sql.Open("sqlite3", DSN(path, Options{ReadOnly: true}))
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			var n int
			if err := ro.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil {
				t.Fatalf("reading the database read-only: %v", err)
			}
			if _, err := ro.Exec(`INSERT INTO t DEFAULT VALUES`); err == nil || !strings.Contains(err.Error(), "readonly") {
				t.Errorf("a write on a read-only handle: err = %v, want SQLite refusing it", err)
			}
		})
	}
}

func TestDSNQueryOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := sql.Open("sqlite3", DSN(path, Options{QueryOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (id)`); err == nil {
		t.Error("CREATE TABLE on a query-only handle went through")
	}
}
