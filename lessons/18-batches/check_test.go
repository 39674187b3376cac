package batches_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"workbook/checker"
	batches "workbook/lessons/18-batches"
)

// perBatch is the lesson's budget: one statement for the users, and one for
// every 500 of them, as SQLAlchemy's selectinload sends its ids. At 40,000
// users it is 1 + ⌈40,000 / 500⌉ = 81. Batches of 500 or more meet it, and
// so does one statement that passes every id as one JSON value
// (json_each); a statement per user (40,001) or batches of 10 (4,001) do
// not.
var perBatch = checker.PerRows{Base: 1, Per: 500, Of: "users"}

// TestReport40000 runs the report on 40,000 users, more than SQLite lets
// one statement bind (32,766 values): a single IN (?, ?, …) with one ? per
// user is refused. The set is generated at check time from the generator of
// the shipped budget sets (user 42 is the same person at every size), and
// never shipped; the report it must give is read by the check itself, below.
func TestReport40000(t *testing.T) {
	// A statement per user is 40,001 of them; the check waits for them, so
	// that the count is said, not a timeout.
	generatedCheck(t, "report-40000-users", "budget-40000")
}

// TestReport1000 runs the report on the shipped 1,000 users (two batches of
// 500 exactly, user 1,000 with expenses) and on the variant budget the
// lesson never shows, whose few users have ids far apart: there the one
// batch is a short one.
func TestReport1000(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-1000-users", Data: []string{"budget-1000", "budget-variant"}, BudgetPer: perBatch}, func(c *checker.C) {
		got, err := batches.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		c.Expect(got, reportOptions...)
	})
}

// TestReportBatchEdges runs the report where batches end awkwardly: 501
// users (a last batch of one user, 501, who has an expense, after one of
// exactly 500) and 1,001 (the same past 1,000, for batches of that size).
// A loop that drops the last, short batch, starts the next batch one id
// late, or repeats the user at a boundary, gives another report.
func TestReportBatchEdges(t *testing.T) {
	generatedCheck(t, "report-batch-edges", "budget-501", "budget-1001")
}

// generatedCheck checks the report on budget sets generated at check time,
// within the lesson's budget. The report it must return is read by the
// check with two queries of its own, not from a file (one of 40,000 users
// would be megabytes): every user in id order, each with their expenses in
// id order.
func generatedCheck(t *testing.T, name string, data ...string) {
	checker.Run(t, checker.Check{Name: name, Data: data, BudgetPer: perBatch, Timeout: 2 * time.Minute}, func(c *checker.C) {
		got, err := batches.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		want := referenceReport(c)
		// Equal bytes are the same report; only a difference needs the
		// checker's comparison, which explains it (and takes seconds here).
		gotJSON, err1 := json.Marshal(got)
		wantJSON, err2 := json.Marshal(want)
		if err1 != nil || err2 != nil || !bytes.Equal(gotJSON, wantJSON) {
			c.Equal(got, want, "the report for "+c.Data())
		}
	})
}

// referenceReport reads the report the learner's must equal, with the
// check's own reads (not counted): the users in id order, and every expense
// put under its user in id order. The lesson's types are declared again
// here: the checks use only SpendingReport of the learner's file.
func referenceReport(c *checker.C) any {
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
	at := make(map[int64]int, len(users))
	for i, u := range users {
		at[u.ID] = i
	}
	for _, e := range expenses {
		u := &users[at[e.UserID]]
		u.Expenses = append(u.Expenses, e)
	}
	return users
}

// reportOptions are how a report is compared: users in id order, each
// user's expenses in id order.
var reportOptions = []checker.Option{checker.Ordered, checker.OrderBy("id"), checker.NestedOrderBy("Expenses", "id"), checker.Noun("user")}

// TestReportNoUsers runs the report on a budget with no users at all: an
// empty report and no error, in at most 2 statements (a batched report
// sends one, json_each's two).
func TestReportNoUsers(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-no-users", Data: []string{"budget-variant"}, Budget: 2}, func(c *checker.C) {
		c.Exec(`DELETE FROM expenses`)
		c.Exec(`DELETE FROM users`)
		got, err := batches.SpendingReport(c.DB())
		c.NoErrorAdvice(err, "SpendingReport(db), on a budget with no users",
			"With no users there are no ids to ask about, and sqlx.In refuses an empty list: send no batch at all.")
		c.Expect(got, reportOptions...)
	})
}
