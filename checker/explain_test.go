package checker

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
)

type idOnly struct {
	ID int `db:"id"`
}

// TestExplain provokes each kind of error for real and checks the words
// that explain it.
func TestExplain(t *testing.T) {
	db := openOwn("file::memory:?_foreign_keys=on")
	db.SetMaxOpenConns(1)
	defer db.Close()
	db.MustExec(`
		CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER CHECK (n > 0));
		CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id));
		CREATE TABLE r (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id) ON DELETE RESTRICT);
		INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2);
		INSERT INTO c VALUES (1, 1);
		INSERT INTO r VALUES (1, 2);`)
	exec := func(q string) error { _, err := db.Exec(q); return err }
	tests := []struct {
		name      string
		err       error
		statement string
		want      string
	}{
		{"orphan insert", exec(`INSERT INTO c VALUES (2, 99)`), "INSERT INTO c VALUES (2, 99)", "names a parent (its foreign key column) that does not exist"},
		{"a replace that deletes a parent", exec(`INSERT OR REPLACE INTO p VALUES (5, 'a', 1)`), "INSERT OR REPLACE INTO p VALUES (5, 'a', 1)", "deletes that row first"},
		{"parent delete, no action", exec(`DELETE FROM p WHERE id = 1`), "DELETE FROM p WHERE id = 1", "foreign key says NO ACTION"},
		{"parent delete, restrict", exec(`DELETE FROM p WHERE id = 2`), "DELETE FROM p WHERE id = 2", "ON DELETE RESTRICT"},
		{"unique", exec(`INSERT INTO p VALUES (3, 'a', 1)`), "", "UNIQUE constraint failed: p.name"},
		{"not null", exec(`INSERT INTO p (id, n) VALUES (3, 1)`), "", "That column needs a value"},
		{"check", exec(`INSERT INTO p VALUES (3, 'c', -1)`), "", "breaks a CHECK"},
		{"no such column", exec(`SELECT nme FROM p`), "", "Check the column name"},
		{"ambiguous column", exec(`SELECT id FROM p JOIN c ON c.p = p.id`), "", "write it as table.column"},
		{"syntax", exec(`SELEC 1`), "", "could not parse"},
		{"no rows", db.Get(new(int), `SELECT id FROM p WHERE id = 9`), "", "Select never does"},
		{"missing destination", db.Select(&[]idOnly{}, `SELECT id, name FROM p`), "", "returns a column named name, but idOnly has no field tagged `db:\"name\"`"},
		{"scan", db.Select(&[]struct {
			N int `db:"name"`
		}{}, `SELECT name FROM p`), "", "The value of column name does not fit"},
		{"not ours", errors.New("boom"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("the statement did not fail")
			}
			got := explain(tt.err, tt.statement)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("explain(%v) =\n%s\nwant it to contain %q", tt.err, got, tt.want)
			}
		})
	}
	if Explain(sql.ErrNoRows) == "" {
		t.Error("Explain(sql.ErrNoRows) is empty")
	}
}
