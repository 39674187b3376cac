package checker

import (
	"strings"
	"testing"

	"workbook/internal/protocol"
)

// Learner schemas for the rows of the cascade data set (lesson 10's, which
// other lessons do not grow), right and wrong.
const (
	cascadeSchema = `
		CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
		CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT);
		CREATE TABLE expenses (
			id INTEGER PRIMARY KEY,
			user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
			split_with INTEGER REFERENCES users(id) ON DELETE SET NULL,
			description TEXT NOT NULL,
			amount_cents INTEGER NOT NULL,
			expense_date TEXT NOT NULL,
			note TEXT NOT NULL DEFAULT '')`
	schemaWithoutDate = `
		CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
		CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT);
		CREATE TABLE expenses (id INTEGER PRIMARY KEY, user_id INTEGER, category_id INTEGER,
			split_with INTEGER, description TEXT, amount_cents INTEGER)`
	schemaWithRequiredNote = `
		CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
		CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT);
		CREATE TABLE expenses (id INTEGER PRIMARY KEY, user_id INTEGER, category_id INTEGER, split_with INTEGER,
			description TEXT, amount_cents INTEGER, expense_date TEXT, note TEXT NOT NULL)`
	schemaWithWrongParent = `
		CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
		CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT);
		CREATE TABLE expenses (id INTEGER PRIMARY KEY, user_id INTEGER, category_id INTEGER,
			split_with INTEGER REFERENCES users(email), description TEXT, amount_cents INTEGER, expense_date TEXT)`
)

// loadBody runs schema as the learner's code would, then loads the cascade
// rows into it.
func loadBody(schema string) func(*C) {
	return func(c *C) {
		_, err := c.DB().Exec(schema)
		c.NoError(err, "CreateSchema(db)")
		c.LoadRows("users", "categories", "expenses")
		var n []int
		c.Query(&n, `SELECT count(*) FROM expenses`)
		c.Equal(n[0], 11, "the expenses loaded")
	}
}

func TestLoadRows(t *testing.T) {
	empty := Check{Name: "schema", Data: []string{"cascade"}, StartEmpty: true}
	tests := []struct {
		name       string
		check      Check
		body       func(*C)
		wantStatus protocol.Status
		wantIn     string
	}{
		{name: "load fits", check: empty, body: loadBody(cascadeSchema), wantStatus: protocol.StatusPass},
		{
			name: "load starts empty", check: empty,
			body: func(c *C) {
				var n []int
				c.Query(&n, `SELECT count(*) FROM sqlite_schema`)
				c.Equal(n[0], 0, "the objects in the database")
			},
			wantStatus: protocol.StatusPass,
		},
		{
			name: "load without a table", check: empty,
			body:       loadBody(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT)`),
			wantStatus: protocol.StatusFail,
			wantIn:     "Your schema has no table categories.",
		},
		{
			name: "load without a column", check: empty,
			body:       loadBody(schemaWithoutDate),
			wantStatus: protocol.StatusFail,
			wantIn:     "Your table expenses has no column expense_date, which the lesson's rows fill.",
		},
		{
			name: "load refused by NOT NULL", check: empty,
			body:       loadBody(schemaWithRequiredNote),
			wantStatus: protocol.StatusFail,
			wantIn:     "NOT NULL constraint failed: expenses.note",
		},
		{
			name: "load refused by a foreign key", check: empty,
			body:       loadBody(schemaWithWrongParent),
			wantStatus: protocol.StatusFail,
			wantIn:     "The row names a parent (its foreign key column) that does not exist.",
		},
		{
			name:       "load on a full copy",
			check:      Check{Name: "schema", Data: []string{"cascade"}},
			body:       func(c *C) { c.LoadRows("users") },
			wantStatus: protocol.StatusBroken,
			wantIn:     "LoadRows needs a check that starts from an empty database",
		},
		{
			name: "load of a table the data set lacks", check: empty,
			body:       func(c *C) { c.LoadRows("accounts") },
			wantStatus: protocol.StatusBroken,
			wantIn:     `data set cascade has no table "accounts"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := testConfig(t).run(tt.check, tt.body)
			if v.Status != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", v.Status, tt.wantStatus, describe(v))
			}
			if tt.wantIn != "" && (len(v.Failures) == 0 || !strings.Contains(v.Failures[0].Message, tt.wantIn)) {
				t.Errorf("the message does not say %q:\n%s", tt.wantIn, describe(v))
			}
			golden(t, strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}
