package eagerjoin_test

import (
	"testing"

	"workbook/checker"
	eagerjoin "workbook/lessons/08-eager-join"
)

// reportOptions compare the report as the lesson asks for it.
var reportOptions = []checker.Option{checker.Ordered, checker.OrderBy("u.id"), checker.NestedOrderBy("Expenses", "e.id"), checker.Noun("user")}

// reportCheck checks the report on the budget data generated at one size
// (at 10 users, with the lesson's variant too, whose ids are far apart):
// one statement whatever the number of users.
func reportCheck(t *testing.T, name string, data ...string) {
	checker.Run(t, checker.Check{Name: name, Data: data, Budget: 1}, func(c *checker.C) {
		got, err := eagerjoin.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		c.Expect(got, reportOptions...)
	})
}

func TestReport10(t *testing.T)   { reportCheck(t, "report-10-users", "budget-10", "budget-variant") }
func TestReport100(t *testing.T)  { reportCheck(t, "report-100-users", "budget-100") }
func TestReport1000(t *testing.T) { reportCheck(t, "report-1000-users", "budget-1000") }

// TestReportFresh calls the report again after each of five changes, each
// to one column alone, as lesson 7's check of the same name does: two
// expenses swap their amounts, their descriptions, their categories and
// their owners, and two users swap their names. Each change is made on the
// connection the report read on last, as the program's own writes would be.
// A report kept between calls misses one, whatever it was keyed on; one
// built in buffers that the next call fills again changes after it was
// returned.
// TestReportNoUsers runs the report on a budget with no users at all: the
// one statement finds no rows, and the report is empty, with no error (code
// that starts its walk at the first row has none to start at).
func TestReportNoUsers(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-no-users", Data: []string{"budget-variant"}, Budget: 1}, func(c *checker.C) {
		c.Exec(`DELETE FROM expenses`)
		c.Exec(`DELETE FROM users`)
		got, err := eagerjoin.SpendingReport(c.DB())
		c.NoErrorAdvice(err, "SpendingReport(db), on a budget with no users",
			"With no users the statement returns no rows: return the empty report, and start a user only when a row brings one.")
		c.Expect(got, reportOptions...)
	})
}

func TestReportFresh(t *testing.T) {
	checker.Run(t, checker.Check{Name: "report-fresh", Data: []string{"budget-variant", "budget-100"}, Budget: 6}, func(c *checker.C) {
		c.ExpectFresh("SpendingReport(db)", func() (any, error) { return eagerjoin.SpendingReport(c.DB()) }, reportOptions,
			checker.Swapped("expenses", "amount_cents", "user_id", "category_id"),
			checker.Swapped("expenses", "description", "user_id"),
			checker.Swapped("expenses", "category_id", "user_id"),
			checker.Swapped("expenses", "user_id"),
			checker.Swapped("users", "name"))
	})
}
