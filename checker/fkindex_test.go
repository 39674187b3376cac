package checker

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/sqlite"
)

// TestUnindexedForeignKeys states .lint fkey-indexes' semantics as cases:
// the shell's own (its test file shell6.test: cases 1 to 5) and those of
// the weight tracker. Each case lists the CREATE INDEX the lint asks for,
// in the order of the tables and keys; where the sqlite3 shell is
// installed, its `.lint fkey-indexes` must report the same keys.
func TestUnindexedForeignKeys(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		want   []string // Fix of each unindexed key
		near   string   // a phrase of the first key's Near, if any
	}{
		{"unindexed", `CREATE TABLE p1(a PRIMARY KEY, b); CREATE TABLE c1(x, y REFERENCES p1);`,
			[]string{"CREATE INDEX c1_y ON c1(y);"}, ""},
		{"two keys", `CREATE TABLE p1(a PRIMARY KEY, b); CREATE TABLE c2(x REFERENCES p1, y REFERENCES p1);`,
			[]string{"CREATE INDEX c2_x ON c2(x);", "CREATE INDEX c2_y ON c2(y);"}, ""},
		{"a key of two columns", `CREATE TABLE p(a, b, c, PRIMARY KEY(c, b)); CREATE TABLE c(x, y, z, FOREIGN KEY (z, y) REFERENCES p);`,
			[]string{"CREATE INDEX c_z_y ON c(z, y);"}, ""},
		{"two columns in the other order", `CREATE TABLE p(a, b, c, PRIMARY KEY(c, b)); CREATE TABLE c(x, y, z, FOREIGN KEY (z, y) REFERENCES p);
			CREATE INDEX c_y_z ON c(y, z);`, nil, ""},
		{"two columns, one indexed", `CREATE TABLE p(a, b, c, PRIMARY KEY(c, b)); CREATE TABLE c(x, y, z, FOREIGN KEY (z, y) REFERENCES p);
			CREATE INDEX c_z ON c(z);`, []string{"CREATE INDEX c_z_y ON c(z, y);"}, "c_z has only z"},
		{"a partial index the lookup implies", `CREATE TABLE p1(a, b PRIMARY KEY); CREATE TABLE c1(x REFERENCES p1);
			CREATE INDEX i1 ON c1(x) WHERE x IS NOT NULL;`, nil, ""},
		{"a partial index the lookup does not imply", `CREATE TABLE p1(a, b PRIMARY KEY); CREATE TABLE c1(x REFERENCES p1);
			CREATE INDEX i1 ON c1(x) WHERE x IS NOT 12;`, []string{"CREATE INDEX c1_x ON c1(x);"}, "i1 is partial"},
		{"the child's INTEGER PRIMARY KEY", `CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(id INTEGER PRIMARY KEY REFERENCES p);`, nil, ""},
		{"a UNIQUE serves", `CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(id INTEGER PRIMARY KEY, p_id INTEGER UNIQUE REFERENCES p);`, nil, ""},
		{"the parent's collation", `CREATE TABLE p(code TEXT COLLATE NOCASE PRIMARY KEY); CREATE TABLE c(id INTEGER PRIMARY KEY, code TEXT REFERENCES p);
			CREATE INDEX c_code ON c(code);`, []string{"CREATE INDEX c_code ON c(code COLLATE NOCASE);"}, "compares code with COLLATE BINARY"},
		{"an index with the parent's collation", `CREATE TABLE p(code TEXT COLLATE NOCASE PRIMARY KEY); CREATE TABLE c(id INTEGER PRIMARY KEY, code TEXT REFERENCES p);
			CREATE INDEX c_code ON c(code COLLATE NOCASE);`, nil, ""},
		{"weights without an index", weightsTables, []string{"CREATE INDEX weight_entries_user_id ON weight_entries(user_id);"}, ""},
		{"weights by date only", weightsTables + `CREATE INDEX e_date ON weight_entries(recorded_at);`,
			[]string{"CREATE INDEX weight_entries_user_id ON weight_entries(user_id);"}, "e_date starts with recorded_at"},
		{"weights by date, then user", weightsTables + `CREATE INDEX e_date_user ON weight_entries(recorded_at, user_id);`,
			[]string{"CREATE INDEX weight_entries_user_id ON weight_entries(user_id);"}, "e_date_user starts with recorded_at"},
		{"weights by user", weightsTables + `CREATE INDEX e_user ON weight_entries(user_id);`, nil, ""},
		{"weights by user, then date", weightsTables + `CREATE INDEX e_user_date ON weight_entries(user_id, recorded_at DESC);`, nil, ""},
	}
	shell, _ := exec.LookPath("sqlite3")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lint.db")
			db := openOwn(sqlite.DSN(path, sqlite.Options{}))
			defer db.Close()
			if _, err := db.Exec(tt.schema); err != nil {
				t.Fatal(err)
			}
			keys, err := UnindexedForeignKeys(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, k := range keys {
				got = append(got, k.Fix())
				if !strings.HasPrefix(k.Plan, "SCAN ") && !strings.HasPrefix(k.Plan, "SEARCH ") {
					t.Errorf("%s: plan %q", k, k.Plan)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.near != "" && (len(keys) == 0 || !strings.Contains(strings.Join(keys[0].Near, "; "), tt.near)) {
				var near []string
				if len(keys) > 0 {
					near = keys[0].Near
				}
				t.Errorf("Near = %q, want a phrase with %q", near, tt.near)
			}
			if shell == "" {
				return
			}
			db.Close()
			out, err := exec.Command(shell, path, ".lint fkey-indexes").CombinedOutput()
			if err != nil {
				t.Fatalf("sqlite3 .lint fkey-indexes: %v\n%s", err, out)
			}
			lines := strings.Fields(strings.TrimSpace(string(out)))
			if n := strings.Count(string(out), "CREATE INDEX"); n != len(tt.want) {
				t.Errorf("the sqlite3 shell reports %d keys, this lint %d:\n%s", n, len(tt.want), strings.Join(lines, " "))
			}
		})
	}
}

const weightsTables = `CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, weight_unit TEXT NOT NULL);
CREATE TABLE weight_entries (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	weight REAL NOT NULL, recorded_at TEXT NOT NULL);
`

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"SEARCH c USING COVERING INDEX *(*=?)", "SEARCH c USING COVERING INDEX i1 (x=?)", true},
		{"SEARCH c USING COVERING INDEX *(*=? AND *=?)", "SEARCH c USING COVERING INDEX i (z=? AND y=?)", true},
		{"SEARCH c USING COVERING INDEX *(*=? AND *=?)", "SEARCH c USING COVERING INDEX i (z=?)", false},
		{"SEARCH c USING COVERING INDEX *(*=?)", "SCAN c", false},
		{"SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
