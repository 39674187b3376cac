package eagerjoin_test

import (
	"testing"

	"workbook/checker"
	eagerjoin "workbook/lessons/08-eager-join"
)

// reportCheck checks the report on the budget data generated at one size
// (at 10 users, with the lesson's variant too, whose ids are far apart):
// one statement whatever the number of users.
func reportCheck(t *testing.T, name string, data ...string) {
	checker.Run(t, checker.Check{Name: name, Data: data, Budget: 1}, func(c *checker.C) {
		got, err := eagerjoin.SpendingReport(c.DB())
		c.NoError(err, "SpendingReport(db)")
		c.Expect(got, checker.Ordered, checker.OrderBy("u.id"), checker.NestedOrderBy("Expenses", "e.id"), checker.Noun("user"))
	})
}

func TestReport10(t *testing.T)   { reportCheck(t, "report-10-users", "budget-10", "budget-variant") }
func TestReport100(t *testing.T)  { reportCheck(t, "report-100-users", "budget-100") }
func TestReport1000(t *testing.T) { reportCheck(t, "report-1000-users", "budget-1000") }
