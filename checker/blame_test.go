package checker

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

func cols(spec string) []sqlite.Column {
	var out []sqlite.Column
	for _, f := range strings.Fields(spec) {
		name, typ, _ := strings.Cut(f, ":")
		out = append(out, sqlite.Column{Name: name, Type: typ})
	}
	return out
}

func TestSchemaChanges(t *testing.T) {
	log := cols("id:INTEGER owner:TEXT owner_email:TEXT amount_cents:INTEGER")
	tests := []struct {
		name     string
		expected schemaShape
		now      schemaShape
		want     []string
	}{
		{"nothing changed", schemaShape{"log": log}, schemaShape{"log": log, "accounts": cols("id:INTEGER")}, nil},
		{"a table dropped", schemaShape{"log": log}, schemaShape{"accounts": cols("id:INTEGER")}, []string{"dropped the table log"}},
		{"a table renamed", schemaShape{"log": log}, schemaShape{"old_log": log}, []string{"took away the table log (a table old_log has its columns: renamed, or rebuilt under another name)"}},
		{"a column renamed", schemaShape{"log": log}, schemaShape{"log": cols("id:INTEGER owner:TEXT email:TEXT amount_cents:INTEGER")},
			[]string{"renamed the column owner_email of log to email"}},
		{"a column dropped", schemaShape{"log": log}, schemaShape{"log": cols("id:INTEGER owner:TEXT amount_cents:INTEGER")},
			[]string{"dropped the column owner_email of log"}},
		{"a column of another type", schemaShape{"log": log}, schemaShape{"log": cols("id:INTEGER owner:TEXT owner_email:TEXT amount_cents:REAL")},
			[]string{"changed the type of the column amount_cents of log from INTEGER to REAL"}},
		{"case does not matter", schemaShape{"log": log}, schemaShape{"log": cols("ID:integer Owner:text owner_email:TEXT amount_cents:INTEGER")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, ch := range schemaChanges(tt.expected, tt.now) {
				got = append(got, ch.text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("schemaChanges = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOwnStatementBlame runs a check whose own statement fails after the
// "learner's" statements (run through c.DB) changed the schema, and after
// the check's own did: only the learner's changes are the learner's fault.
func TestOwnStatementBlame(t *testing.T) {
	tests := []struct {
		name          string
		learner       string // run on c.DB(), as the learner's code
		own           string // run with c.Exec, as the check's set-up
		query         string // the check's read that fails
		wantStatus    protocol.Status
		wantInMessage string
	}{
		{name: "the learner dropped a table the check reads", learner: `DROP TABLE activity_log`,
			query: `SELECT count(*) FROM activity_log`, wantStatus: protocol.StatusFail,
			wantInMessage: "Migrate(db) dropped the table activity_log, which the check reads; the lesson keeps it as it was."},
		{name: "the learner renamed a column the check reads", learner: `ALTER TABLE accounts RENAME COLUMN owner TO holder`,
			query: `SELECT owner FROM accounts`, wantStatus: protocol.StatusFail,
			wantInMessage: "Migrate(db) renamed the column owner of accounts to holder, which the check reads"},
		{name: "the learner renamed a table", learner: `ALTER TABLE activity_log RENAME TO old_log`,
			query: `SELECT count(*) FROM activity_log`, wantStatus: protocol.StatusFail,
			wantInMessage: "Migrate(db) took away the table activity_log (a table old_log has its columns: renamed, or rebuilt under another name), which the check reads"},
		{name: "the check dropped the table itself", own: `DROP TABLE activity_log`,
			query: `SELECT count(*) FROM activity_log`, wantStatus: protocol.StatusBroken,
			wantInMessage: "checker: SELECT count(*) FROM activity_log: no such table: activity_log"},
		{name: "a mistake in the check", learner: `DROP TABLE activity_log`,
			query: `SELECT count(*) FROM acounts`, wantStatus: protocol.StatusBroken,
			wantInMessage: "checker: SELECT count(*) FROM acounts: no such table: acounts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := testConfig(t).run(Check{Name: "nothing-lost", Data: []string{"bank"}}, func(c *C) {
				if tt.own != "" {
					c.Exec(tt.own)
				}
				if tt.learner != "" {
					_, err := c.DB().Exec(tt.learner)
					c.NoError(err, "Migrate(db)")
				} else {
					c.NoError(nil, "Migrate(db)")
				}
				var n []int
				c.Query(&n, tt.query)
			})
			if v.Status != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", v.Status, tt.wantStatus, describe(v))
			}
			if len(v.Failures) == 0 || !strings.Contains(v.Failures[0].Message, tt.wantInMessage) {
				t.Errorf("the message does not say %q:\n%s", tt.wantInMessage, describe(v))
			}
		})
	}
}

// TestOwnStatementOnALockedDatabase leaves a write transaction of the
// "learner's" open: the check's own write then waits for the lock and
// fails, which is the learner's failure. (It waits the busy timeout.)
func TestOwnStatementOnALockedDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a lock")
	}
	// The busy timeout is 3s; the check gives the body far longer, so
	// that a loaded machine does not turn the wait into a timeout.
	v := testConfig(t).run(Check{Name: "opens-account", Data: []string{"bank"}, Timeout: 20 * time.Second}, func(c *C) {
		tx, err := c.DB().Begin()
		c.NoError(err, "OpenAccount(db)")
		_, err = tx.Exec(`INSERT INTO accounts (owner, email, balance_cents) VALUES ('Sandy', 'sandy@example.org', 0)`)
		c.NoError(err, "OpenAccount(db)")
		c.Exec(`INSERT INTO accounts (owner, email, balance_cents) VALUES ('Larry', 'larry@example.org', 0)`)
		tx.Rollback()
	})
	if v.Status != protocol.StatusFail {
		t.Fatalf("status = %s, want fail\n%s", v.Status, describe(v))
	}
	if want := "After OpenAccount(db), the check could not use the database: it is locked"; !strings.Contains(v.Failures[0].Message, want) {
		t.Errorf("the message does not say %q:\n%s", want, describe(v))
	}
}
