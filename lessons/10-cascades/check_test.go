package cascades_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"

	"workbook/checker"
	cascades "workbook/lessons/10-cascades"
)

// The checks run on the lesson's rows and on a variant with other people,
// other ids and categories in another order.
var data = []string{"cascade", "cascade-variant"}

// check runs body on an empty database holding the learner's schema with the
// lesson's rows copied in.
func check(t *testing.T, name string, body func(c *checker.C)) {
	checker.Run(t, checker.Check{Name: name, Data: data, StartEmpty: true}, func(c *checker.C) {
		c.NoError(cascades.CreateSchema(c.DB()), "CreateSchema(db)")
		c.LoadRows("users", "categories", "expenses")
		keepsAmountsPositive(c)
		body(c)
	})
}

// keepsAmountsPositive stops the check when the learner's schema lets in an
// expense of no money: the CHECK the lesson gives with the schema is part of
// it, cascades or not.
func keepsAmountsPositive(c *checker.C) {
	err := c.Perform(`INSERT INTO expenses (user_id, category_id, description, amount_cents, expense_date)
		SELECT user_id, category_id, 'Nothing', 0, expense_date FROM expenses ORDER BY id LIMIT 1`)
	if err == nil {
		c.Fatalf("Your schema lets in an expense of 0 cents: the lesson's schema has\n" +
			"  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0); keep that CHECK as it is.")
	}
}

// row is a user or a category the checks delete, with how many expenses
// point at it.
type row struct {
	ID     int64  `db:"id"`
	Name   string `db:"name"`
	Own    int    `db:"own"`    // a user's expenses, a category's uses
	Shared int    `db:"shared"` // expenses of others split with a user
}

// find returns the first row query finds in the data set, or stops.
func find(c *checker.C, what, query string) row {
	var rows []row
	c.Query(&rows, query)
	if len(rows) == 0 {
		c.Fatalf("Your tables do not hold %s, which the lesson's rows have: after CreateSchema\n"+
			"and the load, the rows should be there as they are in the data set.", what)
	}
	return rows[0]
}

const userQuery = `SELECT u.id, u.name,
	(SELECT count(*) FROM expenses WHERE user_id = u.id) AS own,
	(SELECT count(*) FROM expenses WHERE split_with = u.id AND user_id != u.id) AS shared
	FROM users u `

const categoryQuery = `SELECT c.id, c.name, (SELECT count(*) FROM expenses WHERE category_id = c.id) AS own, 0 AS shared
	FROM categories c `

// sharedWith returns the ids of the expenses other people split with user.
func sharedWith(c *checker.C, user row) []int64 {
	var ids []int64
	c.Query(&ids, `SELECT id FROM expenses WHERE split_with = ? AND user_id != ? ORDER BY id`, user.ID, user.ID)
	return ids
}

// gone counts how many of the expenses ids are no longer there.
func gone(c *checker.C, ids []int64) int {
	n := 0
	for _, id := range ids {
		var left []int
		c.Query(&left, `SELECT count(*) FROM expenses WHERE id = ?`, id)
		if left[0] == 0 {
			n++
		}
	}
	return n
}

func expenses(n int) string {
	if n == 1 {
		return "1 expense"
	}
	return fmt.Sprintf("%d expenses", n)
}

// refusedBy returns the columns whose foreign keys refused err, and SQLite's
// extended code.
func refusedBy(err error) (columns []string, code sqlite3.ErrNoExtended) {
	var refused *checker.RefusedError
	if errors.As(err, &refused) {
		for _, r := range refused.Referrers {
			columns = append(columns, r.Column)
		}
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		code = se.ExtendedCode
	}
	return columns, code
}

// deleteRule returns the ON DELETE rule of expenses.column's foreign key,
// in capitals ("NO ACTION" when it names none), or "" without one.
func deleteRule(c *checker.C, column string) string {
	var rules []string
	c.Query(&rules, `SELECT upper(on_delete) FROM pragma_foreign_key_list('expenses') WHERE "from" = ?`, column)
	if len(rules) != 1 {
		return ""
	}
	return rules[0]
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// declares fails the check unless the learner's schema puts the delete
// rule action on expenses.column's foreign key itself: a trigger can do a
// cascade's work (or refuse a delete) where the key says NO ACTION, and
// the lesson is about the rule the key carries.
func declares(c *checker.C, column, parent, action string) {
	var rules []string
	c.Query(&rules, `SELECT on_delete FROM pragma_foreign_key_list('expenses') WHERE "from" = ?`, column)
	if len(rules) == 1 && strings.EqualFold(rules[0], action) {
		return
	}
	if len(rules) == 1 && action == "SET NULL" && strings.EqualFold(rules[0], "SET DEFAULT") {
		// SET DEFAULT on a column whose default is NULL sets NULL too.
		var defaults []string
		c.Query(&defaults, `SELECT coalesce(upper(dflt_value), 'NULL') FROM pragma_table_info('expenses') WHERE name = ?`, column)
		if len(defaults) == 1 && defaults[0] == "NULL" {
			return
		}
	}
	var triggers []string
	// The triggers that can act on a delete of the parent.
	c.Query(&triggers, `SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? AND upper(sql) LIKE '%DELETE%' ORDER BY name`, parent)
	said := "has no foreign key"
	if len(rules) > 0 {
		said = "says ON DELETE " + strings.Join(rules, ", ")
	}
	by := "something other than the key"
	if len(triggers) > 0 {
		by = "your trigger " + strings.Join(triggers, ", ")
	}
	c.Errorf("The deletes did what the lesson asks, but expenses.%s %s,\n"+
		"  and %s did the work. The lesson asks the foreign key itself to carry the rule,\n"+
		"  where whoever reads the table sees it and SQLite applies it on every delete:\n"+
		"      %s INTEGER ... REFERENCES %s(id) ON DELETE %s",
		column, said, by, column, parent, action)
}

func TestUserTakesExpenses(t *testing.T) {
	check(t, "user-takes-expenses", func(c *checker.C) {
		u := find(c, "a first user", userQuery+`ORDER BY u.id LIMIT 1`)
		shared := sharedWith(c, u)
		before := c.Snapshot()
		del := fmt.Sprintf("DELETE FROM users WHERE id = %d", u.ID)
		if err := c.Perform(del); err != nil {
			var b strings.Builder
			fmt.Fprintf(&b, "Deleting %s (%s) was refused:\n%s\n", u.Name, del, indent(checker.Explain(err)))
			fmt.Fprintf(&b, "  %s has %s; after the delete none of them should remain.\n", u.Name, expenses(u.Own))
			columns, code := refusedBy(err)
			if has(columns, "user_id") || code == sqlite3.ErrConstraintNotNull {
				fmt.Fprintf(&b, "  They belong to %s: when a user goes, their expenses go with them.\n"+
					"  Say so on expenses.user_id: ON DELETE CASCADE.\n", u.Name)
			}
			if has(columns, "split_with") {
				fmt.Fprintf(&b, "  The %s that other people split with %s are theirs, not %s's: they stay, and\n"+
					"  only the link to %s goes. Say so on expenses.split_with: ON DELETE SET NULL.\n",
					expenses(u.Shared), u.Name, u.Name, u.Name)
			}
			c.Fatalf("%s", strings.TrimRight(b.String(), "\n"))
		}
		if n := gone(c, shared); n > 0 {
			c.Fatalf("Deleting %s (%s) also deleted %s that other people spent and only split with %s.\n"+
				"  Those belong to them: only the link to %s should go (ON DELETE SET NULL on\n"+
				"  expenses.split_with, where CASCADE deletes the whole expense). The delete did this:\n%s",
				u.Name, del, expenses(n), u.Name, u.Name, indent(indent(c.ChangesSince(before))))
		}
		if c.ExpectChanges(before, checker.Changes{
			"users": {Removed: fmt.Sprintf("id = %d", u.ID)},
			"expenses": {
				Removed:      fmt.Sprintf("user_id = %d", u.ID),
				Updated:      fmt.Sprintf("split_with = %d", u.ID),
				UpdatedWhere: "split_with IS NULL",
			},
		}) {
			declares(c, "user_id", "users", "CASCADE")
			declares(c, "split_with", "users", "SET NULL")
		}
	})
}

func TestCategoryInUseRefused(t *testing.T) {
	check(t, "category-in-use-refused", func(c *checker.C) {
		food := find(c, "the category Food", categoryQuery+`WHERE c.name = 'Food'`)
		before := c.Snapshot()
		del := fmt.Sprintf("DELETE FROM categories WHERE id = %d", food.ID)
		err := c.Perform(del)
		_, code := refusedBy(err)
		switch {
		case err == nil:
			c.Fatalf("Deleting the category %s (%s) went through, but %s use it.\n"+
				"  A category is shared by everyone's expenses: deleting it must be refused while any\n"+
				"  expense uses it (ON DELETE RESTRICT on expenses.category_id). The delete did this:\n%s",
				food.Name, del, expenses(food.Own), indent(indent(c.ChangesSince(before))))
		case code == sqlite3.ErrConstraintForeignKey && deleteRule(c, "category_id") == "SET DEFAULT":
			var defaults []string
			c.Query(&defaults, `SELECT coalesce(dflt_value, 'NULL') FROM pragma_table_info('expenses') WHERE name = 'category_id'`)
			c.Fatalf("Deleting the category %s (%s) was refused, but not by RESTRICT: expenses.category_id\n"+
				"  says ON DELETE SET DEFAULT. SQLite set the category_id of the expenses that use %s to\n"+
				"  its default, %s, and then refused the whole DELETE because no category has that id\n"+
				"  (SQLITE_CONSTRAINT_FOREIGNKEY). That it was refused is an accident of the default: one\n"+
				"  that names a category would have moved every %s expense there. %s is shared data\n"+
				"  that may never go while in use: say so with ON DELETE RESTRICT on expenses.category_id.",
				food.Name, del, food.Name, strings.Join(defaults, ""), food.Name, food.Name)
		case code == sqlite3.ErrConstraintForeignKey:
			c.Fatalf("Deleting the category %s was refused by NO ACTION (SQLite's default), not by RESTRICT.\n"+
				"  %s failed with SQLITE_CONSTRAINT_FOREIGNKEY;\n"+
				"  a refusal by RESTRICT reports SQLITE_CONSTRAINT_TRIGGER.\n"+
				"  For this one DELETE the two look alike; they differ in when SQLite checks. NO ACTION checks\n"+
				"  at the end of the statement, or, on a foreign key declared DEFERRABLE INITIALLY DEFERRED,\n"+
				"  only at COMMIT: a transaction may delete %s and deal with its expenses later. RESTRICT\n"+
				"  refuses the moment the row would go, deferred key or not. %s is shared data that may\n"+
				"  never go while in use: say so with ON DELETE RESTRICT on expenses.category_id.",
				food.Name, del, food.Name, food.Name)
		case code != sqlite3.ErrConstraintTrigger:
			c.Fatalf("Deleting the category %s (%s) was refused, but not by a foreign key that\n"+
				"says RESTRICT:\n%s\n  Refuse it with ON DELETE RESTRICT on expenses.category_id.",
				food.Name, del, indent(checker.Explain(err)))
		}
		refused := c.ExpectChanges(before, checker.Changes{})

		unused := find(c, "a category no expense uses", categoryQuery+`WHERE c.id NOT IN (SELECT category_id FROM expenses) ORDER BY c.id LIMIT 1`)
		before = c.Snapshot()
		del = fmt.Sprintf("DELETE FROM categories WHERE id = %d", unused.ID)
		if err := c.Perform(del); err != nil {
			c.Fatalf("Deleting the category %s (%s), which no expense uses, was refused:\n%s\n"+
				"  Refuse a category only while expenses use it.", unused.Name, del, indent(checker.Explain(err)))
		}
		if c.ExpectChanges(before, checker.Changes{"categories": {Removed: fmt.Sprintf("id = %d", unused.ID)}}) && refused {
			declares(c, "category_id", "categories", "RESTRICT")
		}
	})
}

func TestSharedLinkCleared(t *testing.T) {
	check(t, "shared-link-cleared", func(c *checker.C) {
		u := find(c, "a user with no expenses of their own",
			userQuery+`WHERE u.id NOT IN (SELECT user_id FROM expenses) ORDER BY u.id LIMIT 1`)
		shared := sharedWith(c, u)
		before := c.Snapshot()
		del := fmt.Sprintf("DELETE FROM users WHERE id = %d", u.ID)
		if err := c.Perform(del); err != nil {
			c.Fatalf("Deleting %s (%s) was refused:\n%s\n"+
				"  %s has no expenses; %s that other people spent are split with %s. Those stay\n"+
				"  theirs, and only the link goes: ON DELETE SET NULL on expenses.split_with.",
				u.Name, del, indent(checker.Explain(err)), u.Name, expenses(u.Shared), u.Name)
		}
		if n := gone(c, shared); n > 0 {
			c.Fatalf("Deleting %s (%s), who has no expenses, deleted %s that other people\n"+
				"  spent and only split with %s. Only the link should go: ON DELETE SET NULL on\n"+
				"  expenses.split_with, where CASCADE deletes the whole expense. The delete did this:\n%s",
				u.Name, del, expenses(n), u.Name, indent(indent(c.ChangesSince(before))))
		}
		if c.ExpectChanges(before, checker.Changes{
			"users":    {Removed: fmt.Sprintf("id = %d", u.ID)},
			"expenses": {Updated: fmt.Sprintf("split_with = %d", u.ID), UpdatedWhere: "split_with IS NULL"},
		}) {
			declares(c, "split_with", "users", "SET NULL")
		}
	})
}
