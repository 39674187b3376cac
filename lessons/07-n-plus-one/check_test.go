package nplusone_test

import (
	"fmt"
	"testing"

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

// TestReportFresh calls the report twice, with the amounts of two
// expenses of two users swapped between the calls, as another request
// would change them: the second report has the change. A report kept from
// the first call misses it, however the cache is keyed (the number of
// users, a count or a sum of the expenses, which the swap leaves as they
// were) and whatever statement it sends to look busy.
func TestReportFresh(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-fresh", Data: []string{"budget-variant", "budget-100"}, Budget: 4}, func(c *checker.C) {
		first, err := nplusone.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		c.Expect(first, append(reportOptions, checker.Named("before"))...)
		a, b := c.Swap("expenses", "amount_cents", "user_id", "category_id")
		again, err := nplusone.SpendingReport(c.DB())
		c.NoError(err, fmt.Sprintf("SpendingReport(db), called again after expenses %d and %d changed", a, b))
		c.Expect(again, append(reportOptions, checker.Named("after"))...)
	})
}
