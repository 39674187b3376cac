package joinfilter_test

import (
	"fmt"
	"testing"

	"workbook/checker"
	joinfilter "workbook/lessons/04-join-filter"
)

var data = []string{"budget", "budget-variant"}

func categoryCheck(name string, category string) func(t *testing.T) {
	return func(t *testing.T) {
		checker.Run(t, checker.Check{Name: name, Data: data, Budget: 1}, func(c *checker.C) {
			got, err := joinfilter.ExpensesInCategory(c.DB(), category)
			c.NoError(err, fmt.Sprintf("ExpensesInCategory(db, %q)", category))
			c.Expect(got, checker.Ordered, checker.OrderBy("e.amount_cents DESC", "e.id"), checker.Noun("expense"))
		})
	}
}

func TestFoodByAmount(t *testing.T) { categoryCheck("food-by-amount", "Food")(t) }

func TestAnyCategory(t *testing.T) { categoryCheck("any-category", "Transportation")(t) }

func TestUnknownCategory(t *testing.T) { categoryCheck("unknown-category", "Travel")(t) }
