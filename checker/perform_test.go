package checker

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// cascadeTables creates the tables of the cascade data set (lesson 10's,
// which other lessons do not grow) with the given foreign key clauses on
// expenses.user_id and expenses.category_id; split_with says SET NULL.
func cascadeTables(user, category string) string {
	return fmt.Sprintf(`
		CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
		CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT);
		CREATE TABLE expenses (
			id INTEGER PRIMARY KEY,
			user_id INTEGER NOT NULL REFERENCES users(id) %s,
			category_id INTEGER NOT NULL REFERENCES categories(id) %s,
			split_with INTEGER REFERENCES users(id) ON DELETE SET NULL,
			description TEXT NOT NULL, amount_cents INTEGER NOT NULL, expense_date TEXT NOT NULL)`, user, category)
}

func TestPerform(t *testing.T) {
	tests := []struct {
		name     string
		schema   string
		query    string
		args     []any
		wantCode sqlite3.ErrNoExtended // 0: the statement must go through
		wantIn   string
	}{
		{
			name:   "perform cascade",
			schema: cascadeTables("ON DELETE CASCADE", "ON DELETE RESTRICT"),
			query:  `DELETE FROM users WHERE id = ?`, args: []any{1},
			wantIn: "expenses: 3 rows removed:",
		},
		{
			name: "perform set null",
			schema: strings.Replace(cascadeTables("", "ON DELETE SET NULL"),
				"category_id INTEGER NOT NULL", "category_id INTEGER", 1),
			query:  `DELETE FROM categories WHERE name = 'Transportation'`,
			wantIn: "expenses: 2 rows changed:",
		},
		{
			name:     "perform no action",
			schema:   cascadeTables("", ""),
			query:    `DELETE FROM users WHERE email = 'alice@example.com'`,
			wantCode: sqlite3.ErrConstraintForeignKey,
			wantIn:   "expenses.user_id (ON DELETE NO ACTION): 3 rows, id 1, 2, 3",
		},
		{
			name:   "perform restrict",
			schema: cascadeTables("ON DELETE CASCADE", "ON DELETE RESTRICT"),
			query:  `DELETE FROM categories WHERE name = ?`, args: []any{"Food"},
			wantCode: sqlite3.ErrConstraintTrigger,
			wantIn:   "expenses.category_id (ON DELETE RESTRICT): 6 rows, id 1, 2, 5, 6, 8, …",
		},
		{
			name:     "perform set null on a NOT NULL column",
			schema:   cascadeTables("ON DELETE SET NULL", ""),
			query:    `DELETE FROM users WHERE id = 2`,
			wantCode: sqlite3.ErrConstraintNotNull,
			wantIn:   "The DELETE made a foreign key that says ON DELETE SET NULL clear that column",
		},
		{
			name:     "perform refused update",
			schema:   cascadeTables("", ""),
			query:    `UPDATE expenses SET user_id = 99 WHERE id = 1`,
			wantCode: sqlite3.ErrConstraintForeignKey,
			wantIn:   "The row names a parent (its foreign key column) that does not exist.",
		},
		{
			name:   "perform touching nothing",
			schema: cascadeTables("", ""),
			query:  `DELETE FROM users WHERE id = 99`,
			wantIn: "nothing changed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var report string
			var err error
			v := testConfig(t).run(Check{Name: "perform", Data: []string{"cascade"}, StartEmpty: true}, func(c *C) {
				_, created := c.DB().Exec(tt.schema)
				c.NoError(created, "CreateSchema(db)")
				c.LoadRows("users", "categories", "expenses")
				before := c.Snapshot()
				err = c.Perform(tt.query, tt.args...)
				report = fmt.Sprintf("%s\nerror: %v\nexplained:\n%s\nchanges:\n%s\n", tt.query, err, Explain(err), c.ChangesSince(before))
			})
			if !v.Passed() {
				t.Fatalf("verdict: %s", describe(v))
			}
			var se sqlite3.Error
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Errorf("Perform: %v, want no error", err)
			case tt.wantCode != 0 && (!errors.As(err, &se) || se.ExtendedCode != tt.wantCode):
				t.Errorf("Perform: %v, want extended code %d", err, tt.wantCode)
			}
			if !strings.Contains(report, tt.wantIn) {
				t.Errorf("the report does not say %q:\n%s", tt.wantIn, report)
			}
			golden(t, strings.ReplaceAll(tt.name, " ", "_"), report)
		})
	}
}
