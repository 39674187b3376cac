package onetomany_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"workbook/checker"
	onetomany "workbook/lessons/02-one-to-many"
)

var data = []string{"budget", "budget-variant"}

// firstSpender returns the email of the first user, by id, who has
// expenses: Alice in the lesson's data.
func firstSpender(c *checker.C) string {
	var emails []string
	c.Query(&emails, `SELECT email FROM users WHERE id = (SELECT min(user_id) FROM expenses)`)
	return emails[0]
}

// firstIdle returns the email of the first user, by id, who has no
// expenses: Dave in the lesson's data.
func firstIdle(c *checker.C) string {
	var emails []string
	c.Query(&emails, `SELECT email FROM users WHERE id NOT IN (SELECT user_id FROM expenses) ORDER BY id LIMIT 1`)
	return emails[0]
}

// largestExpense returns the id of the largest expense of a user whose
// expenses in id order are in as few other orders as the data allows:
// neither rising nor falling by amount, description, date or category, so
// that an owner's list sorted any other way than LoadUser's comes out
// wrong. Among those, a user whose name another user shares comes first
// (the second Priya's Bus pass in budget-variant, whose expenses are in
// none of those orders: an owner found by name is the wrong Priya).
func largestExpense(c *checker.C) int64 {
	var ids []int64
	c.Query(&ids, `
		WITH pairs AS (
			SELECT a.user_id,
				sign(b.amount_cents - a.amount_cents) AS amount,
				CASE WHEN b.description > a.description THEN 1 WHEN b.description < a.description THEN -1 ELSE 0 END AS description,
				CASE WHEN b.expense_date > a.expense_date THEN 1 WHEN b.expense_date < a.expense_date THEN -1 ELSE 0 END AS day,
				sign(b.category_id - a.category_id) AS category
			FROM expenses a JOIN expenses b ON b.user_id = a.user_id AND b.id > a.id),
		unsorted AS (
			SELECT user_id,
				(max(amount) = 1 AND min(amount) = -1) + (max(description) = 1 AND min(description) = -1) +
				(max(day) = 1 AND min(day) = -1) + (max(category) = 1 AND min(category) = -1) AS orders
			FROM pairs GROUP BY user_id)
		SELECT e.id FROM expenses e JOIN users u ON u.id = e.user_id
		ORDER BY coalesce((SELECT orders FROM unsorted WHERE user_id = e.user_id), 0) DESC,
			EXISTS (SELECT 1 FROM users v WHERE v.name = u.name AND v.id != u.id) DESC, e.amount_cents DESC, e.id LIMIT 1`)
	return ids[0]
}

func checkOwners(c *checker.C, u *onetomany.User, call string) {
	var wrong []string
	copies, missing := false, false
	for i, e := range u.Expenses {
		switch {
		case e == nil:
			wrong = append(wrong, fmt.Sprintf("Expenses[%d] is nil", i))
		case e.Owner == u:
		case e.Owner == nil:
			missing = true
			wrong = append(wrong, fmt.Sprintf("expense %d (%s): Owner is nil", e.ID, e.Description))
		case e.Owner.ID == u.ID:
			copies = true
			wrong = append(wrong, fmt.Sprintf("expense %d (%s): Owner is another *User for user %d, a copy", e.ID, e.Description, u.ID))
		default:
			wrong = append(wrong, fmt.Sprintf("expense %d (%s): Owner is user %d, but the expense is in the Expenses of user %d", e.ID, e.Description, e.Owner.ID, u.ID))
		}
	}
	if len(wrong) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Every expense in %s's Expenses must have as its Owner the very *User that holds it\n"+
		"(e.Owner == u, the same pointer), but:\n", u.Name)
	for _, w := range wrong {
		fmt.Fprintf(&b, "    %s\n", w)
	}
	switch {
	case copies:
		b.WriteString("  A copy has the same fields today, but it is a second value for one row: rename the user\n" +
			"  through one and the other keeps the old name, and e.Owner == u is false. You already hold the\n" +
			"  user: point each expense at that very value (e.Owner = u), not at one loaded again or copied.")
	case missing:
		b.WriteString("  Set each expense's Owner to the user whose Expenses hold it (e.Owner = u).")
	default:
		b.WriteString("  An expense belongs to the user its user_id names: put it in that user's Expenses only.")
	}
	c.Errorf("%s", b.String())
}

func TestUserWithExpenses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "user-with-expenses", Data: data, Budget: 2}, func(c *checker.C) {
		email := firstSpender(c)
		call := fmt.Sprintf("LoadUser(db, %q)", email)
		u, err := onetomany.LoadUser(c.DB(), email)
		c.NoError(err, call)
		if u == nil {
			c.Fatalf("%s returned a nil *User and no error.", call)
		}
		c.Expect(u, checker.Noun("user"))
		checkOwners(c, u, call)
		c.ExpectRowsReadAtMost(1+len(u.Expenses), call, "the user and their expenses",
			"Your Go code kept the user's rows and threw the rest away. Let the statement choose them:\n"+
				"WHERE user_id = ? sends only the expenses of the user you loaded.")
	})
}

// The lesson's variant has two emails that differ only in case, of two
// users: each finds its own.
func TestEmailInOtherLetters(t *testing.T) {
	checker.Run(t, checker.Check{Name: "email-in-other-letters", Data: []string{"budget-variant"}, Budget: 2}, func(c *checker.C) {
		email := firstSpender(c)
		// Wen Zhao's Wen@example.net beside wen@example.net.
		twin := c.CaseTwin("users", "email", email)
		if twin == "" {
			c.Fatalf("checker: %s has no email that is %s in other letters", c.Data(), email)
		}
		call := fmt.Sprintf("LoadUser(db, %q) (an email of its own, not %s in other letters)", twin, email)
		u, err := onetomany.LoadUser(c.DB(), twin)
		c.NoError(err, call)
		if u == nil {
			c.Fatalf("%s returned a nil *User and no error.", call)
		}
		c.Expect(u, checker.Noun("user"))
	})
}

func TestExpenseWithOwner(t *testing.T) {
	checker.Run(t, checker.Check{Name: "expense-with-owner", Data: data, Budget: 2}, func(c *checker.C) {
		id := largestExpense(c)
		call := fmt.Sprintf("LoadExpense(db, %d)", id)
		e, err := onetomany.LoadExpense(c.DB(), id)
		c.NoError(err, call)
		if e == nil {
			c.Fatalf("%s returned a nil *Expense and no error.", call)
		}
		c.Expect(e, checker.Noun("expense"))
		if e.Owner == nil {
			c.Fatalf("%s returned expense %d with no Owner: set it to the user the expense belongs to.", call, id)
		}
		inList, copied := false, false
		for _, x := range e.Owner.Expenses {
			inList = inList || x == e
			copied = copied || (x != nil && x != e && x.ID == e.ID)
		}
		switch {
		case inList:
		case len(e.Owner.Expenses) == 0:
			c.Fatalf("The Owner of expense %d comes back with no Expenses, so from the expense you reach a user\n"+
				"who seems to have spent nothing. Go has no lazy loading to fill the list in later: load the\n"+
				"owner with all of their expenses, as LoadUser does, and return the expense from that list.", id)
		case copied:
			c.Errorf("The Owner's Expenses hold another *Expense with ID %d, a copy, not the one %s returned.\n"+
				"Two values for one row drift apart as soon as one changes. Return the *Expense from the\n"+
				"owner's list, so that the expense you hand back is one of its owner's expenses.", id, call)
		default:
			c.Errorf("The Owner's Expenses do not hold expense %d at all: the owner's list must include the\n"+
				"expense %s returned, the same *Expense.", id, call)
		}
		checkOwners(c, e.Owner, call)
		c.Expect(e.Owner, checker.Named("owner"), checker.Noun("user"))
	})
}

func TestUserWithoutExpenses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "user-without-expenses", Data: data, Budget: 2}, func(c *checker.C) {
		email := firstIdle(c)
		call := fmt.Sprintf("LoadUser(db, %q)", email)
		u, err := onetomany.LoadUser(c.DB(), email)
		c.NoError(err, call)
		if u == nil {
			c.Fatalf("%s returned a nil *User and no error.", call)
		}
		c.Expect(u, checker.Noun("user"))
	})
}

func TestNotFound(t *testing.T) {
	checker.Run(t, checker.Check{Name: "not-found", Data: data, Budget: 2}, func(c *checker.C) {
		const email = "nobody@example.com"
		call := fmt.Sprintf("LoadUser(db, %q)", email)
		u, err := onetomany.LoadUser(c.DB(), email)
		if c.ErrorIs(err, sql.ErrNoRows, call) && u != nil {
			c.Errorf("%s returned a *User along with its error: return nil when there is no such user.", call)
		}

		var ids []int64
		c.Query(&ids, `SELECT max(id) + 1 FROM expenses`)
		call = fmt.Sprintf("LoadExpense(db, %d)", ids[0])
		e, err := onetomany.LoadExpense(c.DB(), ids[0])
		if c.ErrorIs(err, sql.ErrNoRows, call) && e != nil {
			c.Errorf("%s returned an *Expense along with its error: return nil when there is no such expense.", call)
		}
	})
}

// Emails close to the first spender's that no user has: each is not found.
func TestNearMisses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "near-misses", Data: data, Budget: 20}, func(c *checker.C) {
		email := checker.Lookup{Value: firstSpender(c), Table: "users", Column: "email", Compared: "email", Absent: "no user has the email"}
		c.ExpectNoNearMisses(email, func(near string) (string, string) {
			call := fmt.Sprintf("LoadUser(db, %q)", near)
			u, err := onetomany.LoadUser(c.DB(), near)
			if u != nil && err == nil {
				return call, u.Name
			}
			c.ErrorIs(err, sql.ErrNoRows, call)
			return call, ""
		})
	})
}
