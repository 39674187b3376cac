package normalization_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/checker"
	"workbook/internal/words"
	normalization "workbook/lessons/14-normalization"
)

// The checks run on the bank's log and on the variant bank's, which the
// lesson never shows.
var data = []string{"bank", "bank-variant"}

// check runs body on the bank as it was before the migration: the log, and
// no accounts or activity tables yet.
func check(t *testing.T, name string, body func(c *checker.C)) {
	checker.Run(t, checker.Check{Name: name, Data: data, ChangesSchema: true}, func(c *checker.C) {
		c.Exec(`DROP TABLE activity; DROP TABLE accounts`)
		body(c)
	})
}

// migrate runs the learner's migration and checks that its tables have the
// columns the other checks read.
func migrate(c *checker.C) {
	err := normalization.Migrate(c.DB())
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: activity.id") {
		c.Fatalf("Migrate(db) returned an error:\n    %v\n"+
			"  Two activities got the same id: a log row came out of the SELECT more than once. The join\n"+
			"  that finds each row's account matched more than one account; join on a column that is\n"+
			"  unique in accounts (the email), not on the name.", err)
	}
	c.NoError(err, "Migrate(db)")
	for table, cols := range map[string][]string{
		"accounts": {"id", "owner", "email"},
		"activity": {"id", "account_id", "activity_type", "amount_cents", "created_at"},
	} {
		var have []string
		c.Query(&have, `SELECT name FROM pragma_table_info(?)`, table)
		if len(have) == 0 {
			if why := c.UncommittedWrites(); why != "" {
				c.Fatalf("After Migrate(db) there is no table %s, though the migration creates it:\n%s", table, why)
			}
			c.Fatalf("After Migrate(db) there is no table %s: the migration creates it.", table)
		}
		for _, col := range cols {
			if !contains(have, col) {
				c.Fatalf("Your table %s has no column %s (it has %s). The checks read\n"+
					"  accounts(id, owner, email) and activity(id, account_id, activity_type, amount_cents, created_at).",
					table, col, strings.Join(have, ", "))
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func count(c *checker.C, query string, args ...any) int {
	var n []int
	c.Query(&n, query, args...)
	return n[0]
}

// logRow is one row of the log: read from activity_log, or rebuilt by
// joining activity to accounts.
type logRow struct {
	Owner        string `db:"owner"`
	Email        string `db:"email"`
	ActivityType string `db:"activity_type"`
	AmountCents  int64  `db:"amount_cents"`
	CreatedAt    string `db:"created_at"`
}

const (
	logQuery = `SELECT owner, owner_email AS email, activity_type, amount_cents, created_at
		FROM activity_log ORDER BY created_at, owner_email, activity_type, amount_cents`
	rebuiltQuery = `SELECT a.owner, a.email, t.activity_type, t.amount_cents, t.created_at
		FROM activity t JOIN accounts a ON a.id = t.account_id
		ORDER BY t.created_at, a.email, t.activity_type, t.amount_cents`
)

func TestNothingLost(t *testing.T) {
	check(t, "nothing-lost", func(c *checker.C) {
		holders := count(c, `SELECT count(DISTINCT owner_email) FROM activity_log`)
		logRows := count(c, `SELECT count(*) FROM activity_log`)
		// The log as it was: a migration that empties or edits it must not
		// move what the rebuilt log is compared with.
		var log []logRow
		c.Query(&log, logQuery)
		logSchema := logObjects(c)
		before := c.Snapshot()
		migrate(c)
		keptLogSchema(c, logSchema)
		switch accounts := count(c, `SELECT count(*) FROM accounts`); {
		case accounts > holders:
			c.Fatalf("accounts has %d rows, but the log has %d account holders (%d different emails).\n"+
				"  Normalizing stores each holder once: one row per email, however many times the log names it.",
				accounts, holders, holders)
		case accounts < holders && accounts == count(c, `SELECT count(DISTINCT lower(owner_email)) FROM activity_log`):
			var twins []string
			c.Query(&twins, `SELECT group_concat(DISTINCT owner_email) FROM activity_log GROUP BY lower(owner_email)
				HAVING count(DISTINCT owner_email) > 1 ORDER BY min(id) LIMIT 1`)
			c.Fatalf("accounts has %d rows, but the log has %d account holders (%d different emails).\n"+
				"  Emails that differ only in capitals became one holder (%s): they are different\n"+
				"  emails, as = and UNIQUE compare them. Tell holders apart by the email exactly as the log\n"+
				"  has it, not by lower(), LIKE or COLLATE NOCASE.", accounts, holders, holders, strings.Join(twins, ""))
		case accounts < holders:
			c.Fatalf("accounts has %d rows, but the log has %d account holders (%d different emails).\n"+
				"  A name is not a key: two holders can share one (look for a name with two emails in the\n"+
				"  log). Tell holders apart by email, which is unique.", accounts, holders, holders)
		}
		// The log read again: a migration that dropped or renamed what the
		// lesson keeps fails here, said as such.
		var logNow, rebuilt []logRow
		c.Query(&logNow, logQuery)
		c.Query(&rebuilt, rebuiltQuery)
		const what = "the log rebuilt by joining activity to accounts (owner, email, type, amount, time), against the log as it was before the migration"
		switch activity := count(c, `SELECT count(*) FROM activity`); {
		case activity > logRows:
			c.Errorf("activity has %d rows for the log's %d: some rows of the log became more than one activity.\n"+
				"  The join that finds each row's account matched more than one account. Join on a column\n"+
				"  that is unique in accounts (the email), not on the name.", activity, logRows)
			c.Equal(rebuilt, log, what)
			return
		case activity < logRows:
			c.Errorf("activity has %d rows for the log's %d: some rows of the log were lost on the way.\n"+
				"  Every row of the log must become one activity.", activity, logRows)
			c.Equal(rebuilt, log, what)
			return
		}
		c.ExpectChanges(before, checker.Changes{
			"accounts": {Created: true, Added: holders},
			"activity": {Created: true, Added: logRows},
		})
		keptIDs(c)
		keptTypes(c)
		c.Equal(rebuilt, log, what)
	})
}

// keptTypes fails the check when a value moved from the log is stored as
// another type than the log stores it (an amount declared REAL becomes
// 50000.0, a time declared DATETIME is read back otherwise by drivers): the
// declared type of a column decides what SQLite stores in it, its affinity.
func keptTypes(c *checker.C) {
	var changed []struct {
		Column string `db:"col"`
		Was    string `db:"was"`
		Is     string `db:"is"`
	}
	c.Query(&changed, `SELECT col, was, "is" FROM (
			SELECT 'activity.amount_cents' AS col, typeof(l.amount_cents) AS was, typeof(t.amount_cents) AS "is", l.id
			FROM activity_log l JOIN activity t ON t.id = l.id
			UNION ALL SELECT 'activity.activity_type', typeof(l.activity_type), typeof(t.activity_type), l.id
			FROM activity_log l JOIN activity t ON t.id = l.id
			UNION ALL SELECT 'activity.created_at', typeof(l.created_at), typeof(t.created_at), l.id
			FROM activity_log l JOIN activity t ON t.id = l.id
			UNION ALL SELECT 'accounts.email', typeof(l.owner_email), typeof(a.email), l.id
			FROM activity_log l JOIN accounts a ON a.email = l.owner_email)
		WHERE was <> "is" GROUP BY col ORDER BY min(id)`)
	for _, ch := range changed {
		c.Errorf("%s holds values of type %s where the log holds %s: the migration changed what is\n"+
			"  stored, not only where. In SQLite a column's declared type decides how a value is stored (its\n"+
			"  affinity: REAL turns 50000 into 50000.0); declare the column as the log does (INTEGER, TEXT).",
			ch.Column, ch.Is, ch.Was)
	}
}

// schemaObject is an entry of sqlite_schema: a table, or an index or
// trigger on one.
type schemaObject struct {
	Type string `db:"type"`
	Name string `db:"name"`
	SQL  string `db:"sql"`
}

// logObjects reads activity_log's entries in sqlite_schema: the table, and
// every index and trigger on it.
func logObjects(c *checker.C) []schemaObject {
	var objects []schemaObject
	c.Query(&objects, `SELECT type, name, coalesce(sql, '') AS sql FROM sqlite_schema
		WHERE tbl_name = 'activity_log' ORDER BY type, name`)
	return objects
}

// keptLogSchema fails the check when the migration left activity_log's
// schema otherwise than it found it: an index or trigger added (to speed
// the migration's joins, say) and kept, or one of its own dropped. The
// lesson asks for the log as it is; what a migration adds for its own
// work, it drops before COMMIT.
func keptLogSchema(c *checker.C, was []schemaObject) {
	now := logObjects(c)
	had := map[string]schemaObject{}
	for _, o := range was {
		had[o.Type+" "+o.Name] = o
	}
	var changed []string
	for _, o := range now {
		w, ok := had[o.Type+" "+o.Name]
		delete(had, o.Type+" "+o.Name)
		switch {
		case !ok:
			changed = append(changed, fmt.Sprintf("it adds the %s %s: %s", o.Type, o.Name, strings.Join(strings.Fields(o.SQL), " ")))
		case w.SQL != o.SQL:
			changed = append(changed, fmt.Sprintf("it changes the %s %s, now: %s", o.Type, o.Name, strings.Join(strings.Fields(o.SQL), " ")))
		}
	}
	for _, o := range was {
		if _, gone := had[o.Type+" "+o.Name]; gone {
			changed = append(changed, fmt.Sprintf("it drops the %s %s", o.Type, o.Name))
		}
	}
	if len(changed) > 0 {
		c.Errorf("Your migration leaves activity_log otherwise than it found it:\n    %s\n"+
			"  The lesson asks you to leave the log as it is, schema and rows. An index or trigger the\n"+
			"  migration needs for its own work (to speed its joins, say) it drops again before COMMIT.",
			strings.Join(changed, "\n    "))
	}
}

// keptIDs fails the check when an activity does not have the id of the log
// row it came from: the migration keeps ids, which other tables, links and
// people may already use.
func keptIDs(c *checker.C) {
	var lost []int64
	c.Query(&lost, `SELECT id FROM activity_log l WHERE NOT EXISTS (SELECT 1 FROM activity t WHERE t.id = l.id) ORDER BY id`)
	if len(lost) > 0 {
		which := fmt.Sprintf("log row %d", lost[0])
		if len(lost) > 1 {
			which = fmt.Sprintf("log rows %d and %d more", lost[0], len(lost)-1)
		}
		c.Errorf("No activity has the id of %s, though one activity comes from each log row. A\n"+
			"migration keeps ids: other tables, links and people may already use them, and the log's have\n"+
			"gaps. Copy each row's id into activity.id (INSERT INTO activity (id, …) SELECT l.id, …) instead\n"+
			"of letting SQLite number the rows.", which)
	}
}

// renames gives, for each data set, an account holder's email and the new
// name the check gives them.
var renames = map[string]struct{ email, from, to string }{
	"bank":         {"spongebob@example.org", "SpongeBob", "SpongeBob SquarePants"},
	"bank-variant": {"larry@example.net", "Larry", "Larry the Lobster"},
}

func TestRenameOneRow(t *testing.T) {
	check(t, "rename-one-row", func(c *checker.C) {
		r, ok := renames[c.Data()]
		if !ok {
			c.Fatalf("checker: no rename for data set %s", c.Data())
		}
		logged := count(c, `SELECT count(*) FROM activity_log WHERE owner_email = ?`, r.email)
		migrate(c)
		if n := count(c, `SELECT count(*) FROM accounts WHERE email = ?`, r.email); n != 1 {
			c.Fatalf("%s (%s) is in %d rows of accounts; a holder's name should be stored in exactly one.\n"+
				"  Then renaming them changes one row, and no copy can be missed.", r.from, r.email, n)
		}
		before := c.Snapshot()
		rename := `UPDATE accounts SET owner = ? WHERE email = ?`
		if err := c.Perform(rename, r.to, r.email); err != nil {
			c.Fatalf("Renaming %s was refused:\n  %v\n%s", r.from, err, checker.Explain(err))
		}
		c.ExpectChanges(before, checker.Changes{"accounts": {
			Updated:      fmt.Sprintf("email = '%s'", r.email),
			UpdatedWhere: fmt.Sprintf("owner = '%s'", r.to),
		}})
		// The old name must be nowhere else: a copy the rename did not reach
		// now contradicts accounts.
		var cols []string
		c.Query(&cols, `SELECT name FROM pragma_table_info('activity')`)
		for _, col := range cols {
			for _, old := range []string{r.from, r.email} {
				if n := count(c, fmt.Sprintf(`SELECT count(*) FROM activity WHERE %q = ?`, col), old); n > 0 {
					c.Fatalf("activity still holds %q in %s (column %s), while accounts now says %q.\n"+
						"  The holder's details are stored twice, and the rename reached only one copy: the data\n"+
						"  now contradicts itself. Keep them in accounts only; activity names its account by account_id.",
						old, rows(n), col, r.to)
				}
			}
		}
		if n := count(c, `SELECT count(*) FROM activity t JOIN accounts a ON a.id = t.account_id WHERE a.owner = ?`, r.to); n != logged {
			c.Errorf("After the rename, %s of activity join to %q; the log has %s for %s.", rows(n), r.to, rows(logged), r.email)
		}
	})
}

func rows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

func TestKeysEnforced(t *testing.T) {
	check(t, "keys-enforced", func(c *checker.C) {
		migrate(c)
		var links []string
		c.Query(&links, `SELECT "table" FROM pragma_foreign_key_list('activity') WHERE "from" = 'account_id'`)
		if !contains(links, "accounts") {
			c.Errorf("activity.account_id is not a foreign key to accounts, so an activity may name an account\n" +
				"  that is not there. Declare it: account_id INTEGER NOT NULL REFERENCES accounts(id).")
		}
		var unique []int
		c.Query(&unique, `SELECT count(*) FROM pragma_index_list('accounts') i
			WHERE i."unique" = 1 AND (SELECT group_concat(name) FROM pragma_index_info(i.name)) = 'email'`)
		if unique[0] == 0 {
			c.Errorf("accounts.email is not UNIQUE, so two accounts may share an email. The email is what\n" +
				"  tells holders apart: declare it email TEXT NOT NULL UNIQUE.")
		}
	})
}

func TestTwoSpellingsRefused(t *testing.T) {
	check(t, "two-spellings-refused", func(c *checker.C) {
		// The last log row of a holder with several, under a second
		// spelling of their name.
		var rows []struct {
			ID    int64  `db:"id"`
			Owner string `db:"owner"`
			Email string `db:"owner_email"`
		}
		c.Query(&rows, `SELECT id, owner, owner_email FROM activity_log WHERE owner_email =
			(SELECT owner_email FROM activity_log GROUP BY owner_email HAVING count(*) > 1 ORDER BY owner_email LIMIT 1)
			ORDER BY id DESC LIMIT 1`)
		r := rows[0]
		c.Exec(`UPDATE activity_log SET owner = ? WHERE id = ?`, strings.ToUpper(r.Owner), r.ID)
		before := c.Snapshot()
		err := c.KeepsDatabaseError("Migrate(db)", func() error { return normalization.Migrate(c.DB()) })
		if err == nil {
			c.Errorf("Migrate(db) returned no error, though log row %d names %s %q and the rows before it %q.\n"+
				"  One email under two spellings of a name cannot become one account without guessing which\n"+
				"  name is right: the UNIQUE on email refuses the second, and the migration must stop there and\n"+
				"  say so (return the error).", r.ID, r.Email, strings.ToUpper(r.Owner), r.Owner)
		}
		if n := c.DB().Stats().InUse; n > 0 {
			c.Errorf("Migrate(db) returned with its transaction still open (%s of the pool in use).\n"+
				"  End every path after Beginx with Commit or Rollback: `defer tx.Rollback()` does it.", words.Counted(n, "connection"))
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}

func TestAllOrNothing(t *testing.T) {
	check(t, "all-or-nothing", func(c *checker.C) {
		// Every write of the migration made to fail in turn, on copies:
		// a migration that commits half way, or writes beside its
		// transaction, leaves part of itself behind on one of them.
		c.ExpectAllOrNothing("Migrate(db)", func(db *sqlx.DB) error { return normalization.Migrate(db) })
		migrate(c)
	})
}
