package nplusone_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"workbook/checker"
	nplusone "workbook/lessons/07-n-plus-one"
)

// reportCheck checks the report on the budget data generated at one size
// (at 10 users, with the lesson's variant too, whose ids are far apart):
// the same 2 statements whatever the number of users.
func reportCheck(t *testing.T, name string, data ...string) {
	checker.Run(t, checker.Check{Name: name, Data: data, Budget: 2}, func(c *checker.C) {
		got, err := nplusone.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		c.Expect(got, reportOptions...)
	})
}

func TestReport10(t *testing.T)   { reportCheck(t, "report-10-users", "budget-10", "budget-variant") }
func TestReport100(t *testing.T)  { reportCheck(t, "report-100-users", "budget-100") }
func TestReport1000(t *testing.T) { reportCheck(t, "report-1000-users", "budget-1000") }

// TestReport10000 counts the statements at 10,000 users, past where a
// batch of 1,000 ids holds everyone: a budget that holds whatever the
// number of users holds here too. The report it must return is read by
// the check itself (a file of it would be megabytes).
func TestReport10000(t *testing.T) {
	// 1 + N statements take 20 s here under workbook run -latency 2ms:
	// the check waits for them, so that the count is said, not a timeout.
	checker.Run(t, checker.Check{Name: "report-10000-users", Data: []string{"budget-10000"}, Budget: 2, Timeout: 2 * time.Minute}, func(c *checker.C) {
		got, err := nplusone.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		// The lesson's types, declared again: the checks use only
		// SpendingReport of the learner's file.
		type expense struct {
			ID          int64  `db:"id"`
			UserID      int64  `db:"user_id"`
			CategoryID  int64  `db:"category_id"`
			Description string `db:"description"`
			AmountCents int64  `db:"amount_cents"`
		}
		var users []struct {
			ID       int64  `db:"id"`
			Name     string `db:"name"`
			Expenses []expense
		}
		c.Query(&users, `SELECT id, name FROM users ORDER BY id`)
		var expenses []expense
		c.Query(&expenses, `SELECT id, user_id, category_id, description, amount_cents FROM expenses ORDER BY user_id, id`)
		at := map[int64]int{}
		for i, u := range users {
			at[u.ID] = i
		}
		for _, e := range expenses {
			u := &users[at[e.UserID]]
			u.Expenses = append(u.Expenses, e)
		}
		// Equal bytes are the same report; only a difference needs the
		// checker's comparison, which explains it (and takes a second here).
		gotJSON, err1 := json.Marshal(got)
		wantJSON, err2 := json.Marshal(users)
		if err1 != nil || err2 != nil || !bytes.Equal(gotJSON, wantJSON) {
			c.Equal(got, users, "the report for 10,000 users")
		}
	})
}

// reportOptions are how a report is compared: users in id order, each
// user's expenses in id order.
var reportOptions = []checker.Option{checker.Ordered, checker.OrderBy("id"), checker.NestedOrderBy("Expenses", "id"), checker.Noun("user")}

// TestReportNoUsers runs the report on a budget with no users at all: an
// empty report, not an error, and no list of ids to ask about.
func TestReportNoUsers(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-no-users", Data: []string{"budget-variant"}, Budget: 2}, func(c *checker.C) {
		c.Exec(`DELETE FROM expenses`)
		c.Exec(`DELETE FROM users`)
		got, err := nplusone.SpendingReport(c.DB())
		c.NoErrorAdvice(err, "SpendingReport(db), on a budget with no users",
			"With no users there are no ids to ask about, and sqlx.In refuses an empty list: return the empty report right after the first query.")
		c.Expect(got, reportOptions...)
	})
}

// TestReportFresh calls the report again after each of five changes, as
// other requests would make them, each to one column alone: two expenses
// swap their amounts, then their descriptions, their categories, their
// owners, and two users swap their names. Each report has its change. A
// report kept from an earlier call misses one, however the cache is keyed
// (the number of users, a count, a sum or a fingerprint of some columns,
// which a change to another column leaves as it was) and whatever
// statement it sends to look busy; a report built in memory that the next
// call fills again changes after it was returned.
func TestReportFresh(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-fresh", Data: []string{"budget-variant", "budget-100"}, Budget: 12}, func(c *checker.C) {
		c.ExpectFresh("SpendingReport(db)", func() (any, error) { return nplusone.SpendingReport(c.DB()) }, reportOptions,
			checker.Swapped("expenses", "amount_cents", "user_id", "category_id"),
			checker.Swapped("expenses", "description", "user_id"),
			checker.Swapped("expenses", "category_id", "user_id"),
			checker.Swapped("expenses", "user_id"),
			checker.Swapped("users", "name"))
	})
}
