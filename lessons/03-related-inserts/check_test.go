package relatedinserts_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"

	"workbook/checker"
	relatedinserts "workbook/lessons/03-related-inserts"
)

var data = []string{"bank", "bank-variant"}

// openings are the accounts the checks open, one per data set: other
// arguments on the bank the lesson never shows, so that code that ignores
// its arguments and writes the README's values fails there.
var openings = map[string]struct {
	owner, email string
	deposit      int64
}{
	"bank":         {"Sandy", "sandy@example.org", 10000},
	"bank-variant": {"Squidward", "squidward.t@example.net", 12550},
}

// opening returns the account the checks open on c's data set.
func opening(c *checker.C) (owner, email string, deposit int64) {
	o, ok := openings[c.Data()]
	if !ok {
		c.Fatalf("checker: no account to open on data set %s", c.Data())
	}
	return o.owner, o.email, o.deposit
}

func callText(owner, email string, deposit int64) string {
	return fmt.Sprintf("OpenAccount(db, %q, %q, %d)", owner, email, deposit)
}

// noOpenTransaction fails the check if the learner's code returned while
// holding a connection of the pool: a transaction never ended, or rows never
// closed.
func noOpenTransaction(c *checker.C, call string) {
	if n := c.DB().Stats().InUse; n > 0 {
		c.Errorf("%s returned with a transaction still open: %s of the pool still in use.\n"+
			"A transaction that is neither committed nor rolled back keeps its connection, and its write\n"+
			"lock, until the program ends: every other writer waits for it. End every path after Beginx\n"+
			"with Commit or Rollback; `defer tx.Rollback()` right after Beginx does it (after a Commit it\n"+
			"does nothing).", call, connections(n))
	}
}

func connections(n int) string {
	if n == 1 {
		return "1 connection"
	}
	return fmt.Sprintf("%d connections", n)
}

// lockedByOwnTransaction stops the check with a precise explanation when err
// is SQLite's "database is locked": the learner's code began a transaction
// and then ran a statement on db, which waited for that transaction's lock.
func lockedByOwnTransaction(c *checker.C, err error, call string) {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		c.Fatalf("%s returned %q.\n"+
			"A statement of yours waited for the write lock that your own transaction holds, and gave up.\n"+
			"Inside a transaction, run every statement on tx (tx.Exec, tx.Get), never on db: db takes\n"+
			"another connection from the pool, which is outside the transaction.", call, err)
	}
}

// rootCause returns the innermost error err wraps along its Unwrap chain.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// A refusal is how the all-or-nothing check makes the deposit's INSERT
// fail, after the account's INSERT worked: with a trigger of its own on one
// bank, and on the other with SQLite's own CHECK (amount_cents > 0), by
// opening the account with a deposit of 0, which code that skips the
// deposit when it is 0 does not meet.
type refusal struct {
	deposit func(int64) int64
	trigger bool
	// how says why the INSERT failed, for messages: "(This check …)".
	how string
}

var refusals = map[string]refusal{
	"bank": {deposit: func(d int64) int64 { return d }, trigger: true,
		how: "This check makes it fail on purpose, with a trigger on its copy of the bank, which SQLite\n" +
			"reports as a constraint, to stand for anything that can go wrong between your two statements."},
	"bank-variant": {deposit: func(int64) int64 { return 0 },
		how: "A deposit of 0 breaks activity's CHECK (amount_cents > 0), as the README says: the account's\n" +
			"INSERT works, and the deposit's fails."},
}

func TestAllOrNothing(t *testing.T) {
	checker.Run(t, checker.Check{Name: "all-or-nothing", Data: data, Budget: 2, Writes: true}, func(c *checker.C) {
		r, ok := refusals[c.Data()]
		if !ok {
			c.Fatalf("checker: no refusal for data set %s", c.Data())
		}
		if r.trigger {
			// Make the second INSERT fail, as anything might between two
			// statements: a constraint, a full disk, a lost connection.
			c.Exec(`CREATE TRIGGER refuse_deposit BEFORE INSERT ON activity
			BEGIN SELECT RAISE(ABORT, 'the check refused this deposit on purpose'); END`)
		}
		owner, email, deposit := opening(c)
		deposit = r.deposit(deposit)
		call := callText(owner, email, deposit)
		before := c.Snapshot()
		sent := len(c.Statements())
		id, err := relatedinserts.OpenAccount(c.DB(), owner, email, deposit)
		lockedByOwnTransaction(c, err, call)
		var taken *relatedinserts.EmailTakenError
		switch {
		case err != nil && len(c.Statements()) == sent && !c.FromSQLite(err):
			c.Errorf("%s returned %v\n"+
				"and sent no statement: your code refused the opening in Go, before SQLite could. (%s)\n"+
				"The schema is where the rule lives, and the lesson asks for SQLite's refusal of the deposit's\n"+
				"INSERT, returned as it is or wrapped with %%w: send both INSERTs and return the error the\n"+
				"second one gets. A rule written twice, in Go and in the schema, can come to disagree.", call, err, r.how)
		case err == nil:
			c.Errorf("%s returned the id %d and no error, but the INSERT into activity has to fail here.\n"+
				"%s\nReturn that error, so the caller knows no account was opened.", call, id, r.how)
		case errors.As(err, &taken):
			c.Errorf("%s returned an *EmailTakenError, but no account has the email %q.\n"+
				"The INSERT into activity failed: %v\n"+
				"(%s)\n"+
				"The caller would tell the user to pick another email, which would not help. Make an\n"+
				"*EmailTakenError only of the UNIQUE constraint on accounts.email (a sqlite3.Error whose\n"+
				"ExtendedCode is sqlite3.ErrConstraintUnique), and return any other error as it is.",
				call, email, rootCause(err), r.how)
		case !c.FromSQLite(err):
			c.Errorf("%s returned %v\n"+
				"which is not the error SQLite reported when the INSERT into activity failed (%s)\n"+
				"Return that error as it is, or wrapped with %%w, so that callers can inspect\n"+
				"it with errors.As: a new error, one made by hand, or one wrapped with %%v loses it.", call, err, r.how)
		}
		noOpenTransaction(c, call)
		var left []int64
		c.Query(&left, `SELECT id FROM accounts WHERE email = ?`, email)
		if len(left) > 0 {
			c.Errorf("The deposit's INSERT cannot work here, but the account it was for is still there (id %d),\n"+
				"with no deposit behind it.\n(%s)\nMake the two INSERTs one unit of work: begin a transaction (db.Beginx), run\n"+
				"both on it, Commit when both worked, and Rollback when either failed.", left[0], r.how)
		}
		for _, s := range c.Statements() {
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s.SQL)), "DELETE") && !s.InTx {
				c.BudgetNote("Statement %d takes the account back out with a DELETE of your own, outside any transaction:\n"+
					"    %s\n"+
					"Until it runs, anyone can read an account with no deposit, and if the program stops between\n"+
					"the two (or the DELETE fails) the account stays. Begin a transaction (db.Beginx), run both\n"+
					"INSERTs on it, and Rollback when one fails: SQLite then undoes the first INSERT itself, with\n"+
					"no statement of yours.", s.Seq, s.SQL)
				break
			}
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}

func TestOpensAccount(t *testing.T) {
	checker.Run(t, checker.Check{Name: "opens-account", Data: data, Budget: 2, Writes: true}, func(c *checker.C) {
		owner, email, deposit := opening(c)
		call := callText(owner, email, deposit)
		before := c.Snapshot()
		id, err := relatedinserts.OpenAccount(c.DB(), owner, email, deposit)
		lockedByOwnTransaction(c, err, call)
		c.NoError(err, call)
		noOpenTransaction(c, call)
		c.ExpectChanges(before, checker.Changes{
			"accounts": {
				Added:      1,
				AddedWhere: fmt.Sprintf("owner = '%s' AND email = '%s' AND balance_cents = %d", owner, email, deposit),
				ReturnedBy: call,
				ReturnedID: id,
			},
			"activity": {
				Added: 1,
				AddedWhere: fmt.Sprintf("account_id = (SELECT id FROM accounts WHERE email = '%s') "+
					"AND activity_type = 'DEP' AND amount_cents = %d", email, deposit),
			},
		})
		for _, s := range c.Statements() {
			// A read of accounts on its own, or a guess at the new id
			// inside the deposit's INSERT (VALUES ((SELECT max(id) FROM
			// accounts), …)). Finding it by its email, a key, is no guess.
			if guessesAccount.MatchString(s.SQL) && !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s.SQL)), "SELECT") {
				c.Errorf("Your deposit's INSERT guesses the new account's id (statement %d: %s).\n"+
					"A subquery that picks an account (max(id), count(*), the first of an owner's name) finds the\n"+
					"new one only by chance: owners share names, ids have gaps, and an INTEGER PRIMARY KEY takes\n"+
					"another id once the largest is used. Take the id SQLite gave the account (res.LastInsertId(),\n"+
					"or INSERT ... RETURNING id), or find the account by its email, which is a key.",
					s.Seq, strings.Join(strings.Fields(s.SQL), " "))
				break
			}
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s.SQL)), "SELECT") && strings.Contains(s.SQL, "accounts") ||
				guessesAccount.MatchString(s.SQL) {
				c.Errorf("Your code read the accounts table (statement %d: %s).\n"+
					"Opening an account needs no read. The new account's id is the one SQLite just gave it:\n"+
					"res.LastInsertId() after the INSERT, or INSERT ... RETURNING id; a guess from max(id) or\n"+
					"count(*) is wrong as soon as ids have gaps or two accounts open at once. And whether the\n"+
					"email is free is the UNIQUE constraint's to decide, in the INSERT itself.", s.Seq, strings.Join(strings.Fields(s.SQL), " "))
				break
			}
		}
	})
}

func TestDuplicateEmail(t *testing.T) {
	checker.Run(t, checker.Check{Name: "duplicate-email", Data: data, Budget: 1, Writes: true}, func(c *checker.C) {
		var emails []string
		// An email with capitals where the data has one: the error names
		// the email as it was asked for, not a normalised copy of it.
		c.Query(&emails, `SELECT email FROM accounts ORDER BY email = lower(email), id LIMIT 1`)
		taken := emails[0]
		owner, _, deposit := opening(c)
		call := callText(owner, taken, deposit)
		before := c.Snapshot()
		_, err := relatedinserts.OpenAccount(c.DB(), owner, taken, deposit)
		lockedByOwnTransaction(c, err, call)
		var target *relatedinserts.EmailTakenError
		if c.ErrorAs(err, &target, call) {
			if target.Email != taken && strings.EqualFold(target.Email, taken) {
				c.Errorf("The *EmailTakenError's Email is %q, and %s asked for %q: the same email in\n"+
					"other letters. Keep the email as the caller wrote it: the error says which one was taken,\n"+
					"and a normalised copy is another string.", target.Email, call, taken)
			} else {
				c.Equal(target.Email, taken, "the Email of the *EmailTakenError")
			}
			var se sqlite3.Error
			if !errors.As(target.Err, &se) || se.ExtendedCode != sqlite3.ErrConstraintUnique || !c.FromSQLite(target.Err) {
				c.Errorf("The *EmailTakenError's Err is %v; it should hold the error SQLite reported when it\n"+
					"refused the INSERT (a sqlite3.Error with ExtendedCode sqlite3.ErrConstraintUnique), so that\n"+
					"nothing about the failure is lost. Let the UNIQUE constraint decide: an email looked up\n"+
					"beforehand can be taken by someone else before your INSERT runs.", target.Err)
			} else if !errors.As(err, &se) {
				c.Errorf("errors.As finds no sqlite3.Error in what %s returned, though its *EmailTakenError\n"+
					"holds one in Err: its Unwrap method must return Err, so that callers can reach the\n"+
					"database's own error through it.", call)
			}
		}
		noOpenTransaction(c, call)
		c.ExpectChanges(before, checker.Changes{})
	})
}

// guessesAccount matches a statement that reads the accounts table for
// the newest row rather than by a key: max(id), count(*), or an ORDER BY.
var guessesAccount = regexp.MustCompile(`(?is)\bselect\s+(?:max|count)\s*\(.*\bfrom\s+["\x60\[]?accounts\b|\bfrom\s+["\x60\[]?accounts\b[^)]*\border\s+by\b`)
