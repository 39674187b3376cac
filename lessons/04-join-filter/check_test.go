package joinfilter_test

import (
	"fmt"
	"testing"

	"workbook/checker"
	joinfilter "workbook/lessons/04-join-filter"
)

var data = []string{"budget", "budget-variant"}

func categoryCheck(name string, category string) func(t *testing.T) {
	return checkOn(name, category, data)
}

func variantCheck(name string, category string) func(t *testing.T) {
	return checkOn(name, category, []string{"budget-variant"})
}

func checkOn(name string, category string, data []string) func(t *testing.T) {
	return func(t *testing.T) {
		checker.Run(t, checker.Check{Name: name, Data: data, Budget: 1}, func(c *checker.C) {
			got, err := joinfilter.ExpensesInCategory(c.DB(), category)
			if e, ok := c.Pasted(category); ok {
				c.Fatalf("%s", checker.PastedNote(e, category))
			}
			c.NoError(err, fmt.Sprintf("ExpensesInCategory(db, %q)", category))
			c.Expect(got, checker.Ordered, checker.OrderBy("e.amount_cents DESC", "e.id"), checker.Noun("expense"),
				checker.Mistake("These are the expenses of every category whose name is "+category+" in any mix of capitals:\n"+
					"LIKE, COLLATE NOCASE and lower() ignore case, and this data set has two such names. Compare with =.",
					expensesWhere(`lower(c.name) = lower(?)`), category),
				checker.Mistake("These are the expenses of every category whose name contains "+category+": a pattern\n"+
					"such as LIKE '%' || ? || '%' matches inside other names too. Compare the name with =.",
					expensesWhere(`c.name LIKE '%' || ? || '%'`), category))
			c.ExpectRowsSent(len(got), fmt.Sprintf("ExpensesInCategory(db, %q)", category), "expense",
				"The database sent you expenses of other categories too, and your Go code kept those of "+category+".\n"+
					"Let the statement choose them: WHERE c.name = ? in the join sends only the rows you return.")
		})
	}
}

// expensesWhere is the lesson's query with another condition on the
// category: the shape of a mistake.
func expensesWhere(cond string) string {
	return `SELECT e.id, e.description, e.amount_cents, u.name AS owner FROM expenses e
		JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id WHERE ` + cond
}

func TestFoodByAmount(t *testing.T) { categoryCheck("food-by-amount", "Food")(t) }

func TestAnyCategory(t *testing.T) { categoryCheck("any-category", "Transportation")(t) }

// A name with a quote in it, as names have: pasted into the SQL text, it
// ends the string literal and the statement fails.
func TestUnknownCategory(t *testing.T) { categoryCheck("unknown-category", "Kids' Clothes")(t) }

// On the lesson's variant: a category nobody has spent in, and a category
// whose name is Food's in small letters. Each gives only its own rows.
func TestEmptyCategory(t *testing.T) { variantCheck("empty-category", "Gifts")(t) }

func TestNameInOtherLetters(t *testing.T) { variantCheck("name-in-other-letters", "food")(t) }

// Names close to Food that no category has (FOOD, " Food ", Fo%d, Fo*d, …):
// each gives nothing. A query that compares the name loosely finds Food's
// expenses for one of them.
func TestNearMisses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "near-misses", Data: data, Budget: checker.NearMissBudget}, func(c *checker.C) {
		food := checker.Lookup{Value: "Food", Table: "categories", Column: "name", Compared: "c.name", Absent: "no category is named"}
		c.ExpectNoNearMisses(food, func(name string) (string, string) {
			call := fmt.Sprintf("ExpensesInCategory(db, %q)", name)
			got, err := joinfilter.ExpensesInCategory(c.DB(), name)
			c.NoError(err, call)
			if len(got) == 0 {
				return call, ""
			}
			return call, fmt.Sprintf("%d expenses (the first, %q)", len(got), got[0].Description)
		})
	})
}
