package duplicateparents_test

import (
	"fmt"
	"strings"
	"testing"

	"workbook/checker"
	duplicateparents "workbook/lessons/06-duplicate-parents"
)

var data = []string{"bank", "bank-variant"}

// depositCheck checks AccountsWithDeposit(db, minCents): the expected
// accounts, each once, from one statement that returned one row per account.
func depositCheck(t *testing.T, name string, minCents int64) {
	depositCheckOf(t, name, func(*checker.C) int64 { return minCents })
}

// depositCheckOf is depositCheck with the amount read from each data set.
func depositCheckOf(t *testing.T, name string, amount func(c *checker.C) int64) {
	checker.Run(t, checker.Check{Name: name, Data: data, Budget: 1}, func(c *checker.C) {
		minCents := amount(c)
		call := fmt.Sprintf("AccountsWithDeposit(db, %d)", minCents)
		got, err := duplicateparents.AccountsWithDeposit(c.DB(), minCents)
		c.NoError(err, call)
		c.Expect(got, checker.Ordered, checker.OrderBy("a.id"), checker.Noun("account"),
			checker.Mistake("These are the accounts whose deposits add up to at least "+dollars(minCents)+": sum() in HAVING totals\n"+
				"them, and the lesson asks for one deposit of at least that much. Compare each deposit with the\n"+
				"amount (t.amount_cents >= ? inside EXISTS), not their sum.",
				accountsWhere(`(SELECT sum(t.amount_cents) FROM activity t WHERE t.account_id = a.id AND t.activity_type = 'DEP') >= ?`), minCents),
			checker.Mistake("These are the accounts with any activity of at least "+dollars(minCents)+": a withdrawal counts\n"+
				"as much as a deposit here. Keep only deposits: t.activity_type = 'DEP'.",
				accountsWhere(`EXISTS (SELECT 1 FROM activity t WHERE t.account_id = a.id AND t.amount_cents >= ?)`), minCents))
		explainRepeat(c, got, minCents)

		// Repeats removed in Go still crossed from the database: ask for
		// one row per account.
		c.ExpectRowsSent(len(got), call, "account",
			"The join repeated accounts and your Go code threw the repeats away. Ask the\n"+
				"database for each account once (SELECT DISTINCT, or WHERE EXISTS), so that the\n"+
				"repeats are never made, or never sent.")
	})
}

// accountsWhere is the lesson's query with another condition on the
// account: the shape of a mistake.
func accountsWhere(cond string) string {
	return `SELECT a.id, a.owner, a.email, a.balance_cents FROM accounts a WHERE ` + cond + ` ORDER BY a.id`
}

// explainRepeat says why the first account that got returned more than once
// was: the deposits the join paired it with.
func explainRepeat(c *checker.C, got []duplicateparents.Account, minCents int64) {
	times := map[int64]int{}
	for _, a := range got {
		times[a.ID]++
	}
	for _, a := range got {
		if times[a.ID] < 2 {
			continue
		}
		var deposits []struct {
			ID          int64 `db:"id"`
			AmountCents int64 `db:"amount_cents"`
		}
		c.Query(&deposits, `SELECT id, amount_cents FROM activity
			WHERE account_id = ? AND activity_type = 'DEP' AND amount_cents >= ? ORDER BY id`, a.ID, minCents)
		var list []string
		for _, d := range deposits {
			list = append(list, fmt.Sprintf("activity %d of %s", d.ID, dollars(d.AmountCents)))
		}
		if len(deposits) != times[a.ID] {
			// The query's WHERE is not the task's: the rows it paired are
			// not the qualifying deposits, so do not name them.
			c.Errorf("Why %s (account %d) is there %s: a join makes one row for each pair of an\n"+
				"  account and an activity row that passes its WHERE, so an account comes out once per\n"+
				"  matching row. Return each account once, however many of its deposits qualify.",
				a.Owner, a.ID, timesWord(times[a.ID]))
			return
		}
		c.Errorf("Why %s (account %d) is there %s: the join makes one row for each pair of an\n"+
			"  account and an activity row that passes the WHERE, and %d of its deposits do:\n"+
			"    %s\n"+
			"  Return each account once, however many of its deposits qualify.",
			a.Owner, a.ID, timesWord(times[a.ID]), len(deposits), strings.Join(list, ", "))
		return
	}
}

func TestLargeDeposits(t *testing.T) { depositCheck(t, "large-deposits", 75000) }

func TestAnyAmount(t *testing.T) { depositCheck(t, "any-amount", 5000) }

// TestNoDepositThatLarge asks for one cent more than the largest deposit:
// nobody qualifies, and an amount compared in whole dollars (cents / 100)
// takes that deposit for one.
func TestNoDepositThatLarge(t *testing.T) {
	depositCheckOf(t, "no-deposit-that-large", func(c *checker.C) int64 {
		var top []int64
		c.Query(&top, `SELECT max(amount_cents) + 1 FROM activity WHERE activity_type = 'DEP'`)
		return top[0]
	})
}

func timesWord(n int) string {
	if n == 2 {
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// dollars formats cents for a message: 100000 is $1,000.00.
func dollars(cents int64) string {
	whole := fmt.Sprint(cents / 100)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return fmt.Sprintf("$%s.%02d", whole, cents%100)
}
