package foreignkeys_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker"
	"workbook/checker/stmtlog"
	foreignkeys "workbook/lessons/01-foreign-keys"
)

var data = []string{"bank", "bank-variant"}

// open calls the learner's Open on the check's copy of the bank.
func open(c *checker.C) *sqlx.DB {
	db, err := foreignkeys.Open(c.Path())
	c.NoError(err, "Open(path)")
	if !checker.Counted(db) {
		db.Close()
		c.Fatalf("Open opened the database with another driver than driverName. Keep\n" +
			"sqlx.Open(driverName, …): the checks swap in a copy of go-sqlite3 that counts your statements.")
	}
	return db
}

func TestForeignKeysOn(t *testing.T) {
	checker.Run(t, checker.Check{Name: "foreign-keys-on", Data: data, Writes: true}, func(c *checker.C) {
		db := open(c)
		defer db.Close()
		settings, err := checker.PoolSetting(db, "foreign_keys", 3)
		c.NoError(err, "using the handle Open returned")
		switch on := count(settings, 1); {
		case on == 0:
			c.Fatalf("The connections Open's handle makes do not enforce foreign keys (PRAGMA foreign_keys is 0\n"+
				"on all %d checked), so SQLite will store activity for accounts that do not exist.\n"+
				"SQLite keeps foreign keys off unless each connection turns them on: have every connection\n"+
				"of the pool do so (see \"What really runs\" in the lesson's README.md). go-sqlite3 ignores\n"+
				"options it does not know, so check the spelling of any you added.", len(settings))
		case on < len(settings):
			c.Fatalf("Foreign keys are on for %d of the %d connections checked, not for all of them.\n"+
				"A PRAGMA sent with db.Exec reaches just one connection of the pool; database/sql opens\n"+
				"the others later, with SQLite's default (off). Put the setting in the data source name\n"+
				"instead, so that every new connection gets it.", on, len(settings))
		}
		// database/sql replaces connections on its own (idle too long,
		// broken): the new ones must enforce foreign keys too.
		checker.RenewPool(db)
		renewed, err := checker.PoolSetting(db, "foreign_keys", 3)
		c.NoError(err, "using the handle Open returned")
		if on := count(renewed, 1); on < len(renewed) {
			c.Fatalf("Foreign keys were on for the connections the pool had, but off on %d of the %d it opened\n"+
				"after closing its idle ones. database/sql closes and opens connections whenever it sees fit,\n"+
				"even with SetMaxOpenConns(1), and a PRAGMA run once does not reach the new ones. Put the\n"+
				"setting in the data source name, so that every new connection gets it.", len(renewed)-on, len(renewed))
		}
	})
}

func count(values []int64, v int64) int {
	n := 0
	for _, x := range values {
		if x == v {
			n++
		}
	}
	return n
}

// firstAccount returns the id of an account the data set has.
func firstAccount(c *checker.C) int64 {
	var ids []int64
	c.Query(&ids, `SELECT id FROM accounts ORDER BY id LIMIT 1`)
	return ids[0]
}

// missingAccount returns an account id the data set does not have.
func missingAccount(c *checker.C) int64 {
	var ids []int64
	c.Query(&ids, `SELECT max(id) + 1 FROM accounts`)
	return ids[0]
}

// quietInsert returns the learner's first INSERT, when it ran without an
// error and wrote no row: one that checks for the account itself (INSERT …
// SELECT … WHERE EXISTS), so the database never refuses anything.
func quietInsert(c *checker.C) (stmtlog.Entry, bool) {
	for _, e := range c.Statements() {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(e.SQL)), "INSERT") {
			return e, e.Err == "" && e.Rows == 0
		}
	}
	return stmtlog.Entry{}, false
}

// lookedUp reports whether the learner's code read the accounts table
// with a query of its own.
func lookedUp(c *checker.C) bool {
	for _, e := range c.Statements() {
		if e.Query && strings.EqualFold(stmtlog.TopTable(e.SQL), "accounts") {
			return true
		}
	}
	return false
}

func TestRefusesMissingAccount(t *testing.T) {
	checker.Run(t, checker.Check{Name: "refuses-missing-account", Data: data, Budget: 1, Writes: true}, func(c *checker.C) {
		db := open(c)
		defer db.Close()
		id := missingAccount(c)
		before := c.Snapshot()
		_, err := foreignkeys.RecordActivity(db, foreignkeys.Activity{AccountID: id, Type: "DEP", AmountCents: 10000})
		var notFound *foreignkeys.AccountNotFoundError
		if c.ErrorAs(err, &notFound, fmt.Sprintf(`RecordActivity(db, Activity{AccountID: %d, Type: "DEP", AmountCents: 10000})`, id)) {
			c.Equal(notFound.AccountID, id, "the AccountID of the *AccountNotFoundError")
			var sqliteErr sqlite3.Error
			if !errors.As(notFound.Err, &sqliteErr) || sqliteErr.ExtendedCode != sqlite3.ErrConstraintForeignKey || !refusedInsert(c) || !c.FromSQLite(notFound.Err) {
				advice := "Put the error the INSERT returned in Err as it is, not a new error made from its text\n" +
					"(fmt.Errorf with %v, errors.New(err.Error())), so that errors.As still finds the sqlite3.Error."
				if lookedUp(c) {
					advice = "Let the database check: do not look the account up first, and keep the INSERT's error."
				} else if e, ok := quietInsert(c); ok {
					advice = fmt.Sprintf("Your INSERT was never refused: statement %d returned no error and wrote nothing,\n"+
						"because its own SQL checks for the account first:\n    %s\n"+
						"Let the database check: INSERT … VALUES the row as it is, with foreign keys on, and keep the\n"+
						"error SQLite returns.", e.Seq, stmtlog.Shorten(strings.Join(strings.Fields(e.SQL), " "), 100))
				}
				c.Errorf("The *AccountNotFoundError's Err is %v; it should hold the error SQLite reported when it\n"+
					"refused the INSERT (a sqlite3.Error with ExtendedCode sqlite3.ErrConstraintForeignKey), so that\n"+
					"nothing about the failure is lost. %s", notFound.Err, advice)
			} else if !errors.As(err, &sqliteErr) {
				c.Errorf("errors.As finds no sqlite3.Error in what RecordActivity returned, though its\n" +
					"*AccountNotFoundError holds one in Err: its Unwrap method must return Err, so that callers\n" +
					"can reach the database's own error through it.")
			}
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}

func TestRecordsDeposit(t *testing.T) {
	checker.Run(t, checker.Check{Name: "records-deposit", Data: data, Budget: 1, Writes: true}, func(c *checker.C) {
		db := open(c)
		defer db.Close()
		account := firstAccount(c)
		before := c.Snapshot()
		call := fmt.Sprintf(`RecordActivity(db, Activity{AccountID: %d, Type: "DEP", AmountCents: 20000})`, account)
		id, err := foreignkeys.RecordActivity(db, foreignkeys.Activity{AccountID: account, Type: "DEP", AmountCents: 20000})
		c.NoError(err, call)
		c.ExpectChanges(before, checker.Changes{"activity": {
			Added:      1,
			AddedWhere: fmt.Sprintf("account_id = %d AND activity_type = 'DEP' AND amount_cents = 20000", account),
			ReturnedBy: call,
			ReturnedID: id,
		}})
	})
}

// refusedInsert reports whether the learner's code sent an INSERT that SQLite
// refused for its foreign key.
func refusedInsert(c *checker.C) bool {
	for _, e := range c.Statements() {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(e.SQL)), "INSERT") && strings.Contains(e.Err, "FOREIGN KEY") {
			return true
		}
	}
	return false
}

func TestOtherErrorsPassThrough(t *testing.T) {
	checker.Run(t, checker.Check{Name: "other-errors-pass-through", Data: data, Budget: 1, Writes: true}, func(c *checker.C) {
		db := open(c)
		defer db.Close()
		account := firstAccount(c)
		before := c.Snapshot()
		call := fmt.Sprintf(`RecordActivity(db, Activity{AccountID: %d, Type: "GIFT", AmountCents: 500})`, account)
		_, err := foreignkeys.RecordActivity(db, foreignkeys.Activity{AccountID: account, Type: "GIFT", AmountCents: 500})
		var notFound *foreignkeys.AccountNotFoundError
		switch {
		case err == nil:
			c.Errorf("%s returned no error, but the table's CHECK allows only 'DEP' and 'WD'.", call)
		case !errors.As(err, &notFound) && !c.FromSQLite(err):
			c.Errorf("%s returned %v\n"+
				"which is not the error SQLite reported when it refused the row (CHECK constraint failed). Return\n"+
				"that error as it is (wrapping it with %%w keeps it too), so that callers can inspect it with\n"+
				"errors.As: a new error, one made by hand, or one wrapped with %%v loses it.", call, err)
		case errors.As(err, &notFound):
			why := "SQLite refused the row for another reason"
			if said := c.SQLiteError(err); said != "" {
				why = fmt.Sprintf("SQLite refused the row for another reason: %s", said)
			}
			c.Errorf("%s returned an *AccountNotFoundError, but account %d exists:\n"+
				"%s.\n"+
				"Report a missing account only for a foreign key refusal (sqlite3.ErrConstraintForeignKey);\n"+
				"return any other error as it is.", call, account, why)
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}
