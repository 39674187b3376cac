package joinaggregate_test

import (
	"fmt"
	"testing"

	"workbook/checker"
	joinaggregate "workbook/lessons/05-join-aggregate"
)

var both = []string{"budget", "budget-variant"}

// totalsCheck checks the totals of the user whose email pick returns.
func totalsCheck(t *testing.T, name string, pick func(c *checker.C) string, data ...string) {
	checker.Run(t, checker.Check{Name: name, Data: data, Budget: 1}, func(c *checker.C) {
		emails := []string{pick(c)}
		if emails[0] == "" {
			c.Fatalf("checker: %s found no user on %s", name, c.Data())
		}
		got, err := joinaggregate.SpendingByCategory(c.DB(), emails[0])
		if e, ok := c.Pasted(emails[0]); ok {
			c.Fatalf("%s", checker.PastedNote(e, emails[0]))
		}
		call := fmt.Sprintf("SpendingByCategory(db, %q)", emails[0])
		c.NoError(err, call)
		opts := []checker.Option{checker.Ordered, checker.OrderBy("total_cents DESC", "category"), checker.Key("Category"), checker.Noun("category total"),
			checker.Mistake("These are the totals of every user with the same name as the one whose email is "+emails[0]+":\n"+
				"names repeat (this data set has two users named alike). Find the user by email, with =.",
				totalsWhere(`u.name = (SELECT name FROM users WHERE email = ?)`), emails[0]),
			checker.Mistake("These are the totals of every user whose email is "+emails[0]+" in any mix of capitals: LIKE,\n"+
				"COLLATE NOCASE and lower() ignore case, and this data set has two such emails. Compare with =.",
				totalsWhere(`lower(u.email) = lower(?)`), emails[0]),
			checker.Mistake("In these totals two equal amounts in one category count once: sum(DISTINCT e.amount_cents)\n"+
				"adds each different amount once, and a user can spend the same amount twice. Add every\n"+
				"expense: sum(e.amount_cents).",
				`SELECT c.name AS category, sum(DISTINCT e.amount_cents) AS total_cents FROM users u
				JOIN expenses e ON e.user_id = u.id JOIN categories c ON c.id = e.category_id
				WHERE u.email = ? GROUP BY c.id, c.name`, emails[0])}
		c.Expect(got, opts...)
		c.ExpectRowsSent(len(got), call, "category total",
			"The database sent you every expense, and your Go code added them up. Let it add them: GROUP BY\n"+
				"the category and sum(e.amount_cents) send one row per category, whatever the number of expenses.")
	})
}

// byQuery picks the email that query returns.
func byQuery(query string) func(c *checker.C) string {
	return func(c *checker.C) string {
		var emails []string
		c.Query(&emails, query)
		if len(emails) != 1 {
			c.Fatalf("checker: %d users on %s, want 1: %s", len(emails), c.Data(), query)
		}
		return emails[0]
	}
}

// firstSpender is the first user, by id, who has expenses: Alice in the
// lesson's data.
const firstSpender = `SELECT email FROM users WHERE id = (SELECT min(user_id) FROM expenses)`

// totalsWhere is the lesson's query with another condition on the user:
// the shape of a mistake.
func totalsWhere(cond string) string {
	return `SELECT c.name AS category, sum(e.amount_cents) AS total_cents FROM users u
		JOIN expenses e ON e.user_id = u.id JOIN categories c ON c.id = e.category_id
		WHERE ` + cond + ` GROUP BY c.id, c.name`
}

// The first user, by id, who has expenses: Alice in the lesson's data.
func TestAliceByCategory(t *testing.T) {
	totalsCheck(t, "alice-by-category", byQuery(firstSpender), both...)
}

// The first user, by id, two of whose category totals are equal: Frank in
// the lesson's data, with Health and Utilities at 3200 each.
func TestTiesByName(t *testing.T) {
	totalsCheck(t, "ties-by-name", byQuery(`
		WITH t AS (SELECT user_id, category_id, sum(amount_cents) AS total FROM expenses GROUP BY user_id, category_id)
		SELECT email FROM users WHERE id = (
			SELECT min(a.user_id) FROM t a JOIN t b
			ON b.user_id = a.user_id AND b.category_id > a.category_id AND b.total = a.total)`), both...)
}

// The first user, by id, who has no expenses: Dave in the lesson's data.
func TestNoExpenses(t *testing.T) {
	totalsCheck(t, "no-expenses",
		byQuery(`SELECT email FROM users WHERE id NOT IN (SELECT user_id FROM expenses) ORDER BY id LIMIT 1`), both...)
}

// The user whose email is the first spender's in other letters: Wen Zhao
// (Wen@example.net) in the lesson's variant. An email changed to lower
// case before it is looked up finds Wen instead.
func TestEmailInOtherLetters(t *testing.T) {
	totalsCheck(t, "email-in-other-letters", func(c *checker.C) string {
		return c.CaseTwin("users", "email", byQuery(firstSpender)(c))
	}, "budget-variant")
}

// Emails close to the first spender's that no user has (in capitals, with
// spaces, cut short, with a wildcard): each gives no totals.
func TestNearMisses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "near-misses", Data: both, Budget: checker.NearMissBudget}, func(c *checker.C) {
		email := checker.Lookup{Value: byQuery(firstSpender)(c), Table: "users", Column: "email", Compared: "u.email", Absent: "no user has the email"}
		c.ExpectNoNearMisses(email, func(near string) (string, string) {
			call := fmt.Sprintf("SpendingByCategory(db, %q)", near)
			got, err := joinaggregate.SpendingByCategory(c.DB(), near)
			c.NoError(err, call)
			if len(got) == 0 {
				return call, ""
			}
			return call, fmt.Sprintf("%d category totals", len(got))
		})
	})
}

// The first spender's totals, then again after one of their expenses
// swapped its amount with another expense in another category, then its
// category with another expense of another amount: totals written down
// ahead (from the README, or from the data files) stay as they were, and
// only totals the statement adds up follow the data.
func TestTotalsFresh(t *testing.T) {
	checker.Run(t, checker.Check{Name: "totals-fresh", Data: both, Budget: 3}, func(c *checker.C) {
		email := byQuery(firstSpender)(c)
		call := fmt.Sprintf("SpendingByCategory(db, %q)", email)
		theirs := "user_id = (SELECT id FROM users WHERE email = ?)"
		opts := []checker.Option{checker.Ordered, checker.OrderBy("total_cents DESC", "category"), checker.Key("Category"), checker.Noun("category total")}
		c.ExpectFresh(call, func() (any, error) { return joinaggregate.SpendingByCategory(c.DB(), email) }, opts,
			checker.FreshChange{Table: "expenses", Column: "amount_cents", Apart: []string{"category_id"}, Of: theirs, Args: []any{email}},
			checker.FreshChange{Table: "expenses", Column: "category_id", Apart: []string{"amount_cents"}, Of: theirs, Args: []any{email}})
	})
}
