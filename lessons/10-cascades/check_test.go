package cascades_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"

	"workbook/checker"
	"workbook/internal/sqlite"
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
		var sent []string
		for _, e := range c.Statements() {
			sent = append(sent, e.SQL)
		}
		c.LoadRows("users", "categories", "expenses")
		keepsShippedSchema(c, sent)
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
		// SET DEFAULT on a column whose default is NULL sets NULL: right rows,
		// and a rule that says something else than what it does.
		var defaults []string
		c.Query(&defaults, `SELECT coalesce(upper(dflt_value), 'NULL') FROM pragma_table_info('expenses') WHERE name = ?`, column)
		if len(defaults) == 1 && defaults[0] == "NULL" {
			written := "has no DEFAULT"
			var d []bool
			c.Query(&d, `SELECT dflt_value IS NOT NULL FROM pragma_table_info('expenses') WHERE name = ?`, column)
			if len(d) == 1 && d[0] {
				written = "has DEFAULT NULL"
			}
			c.Errorf("The deletes did what the lesson asks, but expenses.%s says ON DELETE SET DEFAULT and %s:\n"+
				"  SET DEFAULT with no DEFAULT (or DEFAULT NULL) sets NULL, so it worked as SET NULL would.\n"+
				"  Write what it does, so that whoever reads the table sees it without looking for a default:\n"+
				"      %s INTEGER REFERENCES %s(id) ON DELETE SET NULL",
				column, written, column, parent)
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
			fmt.Fprintf(&b, "Deleting %s (%s) was refused:\n%s\n", u.Name, del, indent(explainDelete(c, err, "users", u.ID)))
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
			c.Fatalf("Deleting the category %s was refused by %s, not by RESTRICT.\n"+
				"  %s failed with SQLITE_CONSTRAINT_FOREIGNKEY;\n"+
				"  a refusal by RESTRICT reports SQLITE_CONSTRAINT_TRIGGER.\n"+
				"  For this one DELETE the two look alike; they differ in when SQLite checks. NO ACTION checks\n"+
				"  at the end of the statement, or, on a foreign key declared DEFERRABLE INITIALLY DEFERRED,\n"+
				"  only at COMMIT: a transaction may delete %s and deal with its expenses later. RESTRICT\n"+
				"  refuses the moment the row would go, deferred key or not. %s is shared data that may\n"+
				"  never go while in use: say so with ON DELETE RESTRICT on expenses.category_id.",
				food.Name, noAction(c, "category_id"), del, food.Name, food.Name)
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
				u.Name, del, indent(explainDelete(c, err, "users", u.ID)), u.Name, expenses(u.Shared), u.Name)
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

// whyNotNull says, for a column the lesson declares NOT NULL, why it must
// hold a value.
var whyNotNull = map[string]string{
	"users.email":           "a user is known by their email",
	"users.name":            "every user has a name",
	"categories.name":       "every category has a name",
	"categories.color":      "every category has a color, '#FF6B6B' unless given",
	"expenses.user_id":      "an expense without the person who spent it means nothing",
	"expenses.category_id":  "every expense is filed under a category",
	"expenses.description":  "every expense says what it was",
	"expenses.amount_cents": "an expense without an amount means nothing",
	"expenses.expense_date": "every expense has a date",
}

// whyUnique says, for a column the lesson declares UNIQUE, why.
var whyUnique = map[string]string{
	"users.email":     "two users cannot share an email",
	"categories.name": "two categories of the same name could not be told apart",
}

// column is a column as pragma table_info reports it.
type column struct {
	Name    string  `db:"name"`
	Type    string  `db:"type"`
	NotNull bool    `db:"notnull"`
	Default *string `db:"dflt_value"`
	PK      int     `db:"pk"`
}

// key is a one-column foreign key as pragma foreign_key_list reports it.
type key struct {
	From     string `db:"from"`
	Parent   string `db:"table"`
	OnUpdate string `db:"on_update"`
	OnDelete string `db:"on_delete"`
	// Deferred is true when, inside a transaction, SQLite lets a statement
	// point the key at no parent and waits for COMMIT to refuse it
	// (DEFERRABLE INITIALLY DEFERRED), which pragma foreign_key_list does
	// not report.
	Deferred bool `db:"-"`
}

// object is an entry of sqlite_schema.
type object struct {
	Type string `db:"type"`
	Name string `db:"name"`
}

// shape is what the checks compare of a schema: each table's columns,
// UNIQUE column lists and foreign keys, and its objects.
type shape struct {
	columns map[string][]column
	unique  map[string][]string // table: the column lists of its UNIQUE constraints and indexes, "a,b"
	keys    map[string][]key
	objects []object
	// indexed holds, per table, the columns that lead one of its indexes.
	indexed map[string][]string
	// checks holds, per table, the expressions of its CHECK constraints.
	checks map[string][]string
}

func text(s string) *string { return &s }

// shipped is the shape of the schema the lesson ships in schema.go, before
// any ON DELETE is written. The learner's schema must match it in
// everything but the foreign keys' ON DELETE actions (and the DEFAULT of a
// foreign key column, which ON DELETE SET DEFAULT uses).
var shipped = shape{
	columns: map[string][]column{
		"users": {
			{Name: "id", Type: "INTEGER", PK: 1},
			{Name: "email", Type: "TEXT", NotNull: true},
			{Name: "name", Type: "TEXT", NotNull: true},
		},
		"categories": {
			{Name: "id", Type: "INTEGER", PK: 1},
			{Name: "name", Type: "TEXT", NotNull: true},
			{Name: "color", Type: "TEXT", NotNull: true, Default: text("'#FF6B6B'")},
		},
		"expenses": {
			{Name: "id", Type: "INTEGER", PK: 1},
			{Name: "user_id", Type: "INTEGER", NotNull: true},
			{Name: "category_id", Type: "INTEGER", NotNull: true},
			{Name: "split_with", Type: "INTEGER"},
			{Name: "description", Type: "TEXT", NotNull: true},
			{Name: "amount_cents", Type: "INTEGER", NotNull: true},
			{Name: "expense_date", Type: "TEXT", NotNull: true},
		},
	},
	unique: map[string][]string{"users": {"email"}, "categories": {"name"}},
	keys: map[string][]key{"expenses": {
		{From: "user_id", Parent: "users", OnUpdate: "NO ACTION"},
		{From: "category_id", Parent: "categories", OnUpdate: "NO ACTION"},
		{From: "split_with", Parent: "users", OnUpdate: "NO ACTION"},
	}},
	objects: []object{
		{"table", "users"}, {"table", "categories"}, {"table", "expenses"},
		{"index", "expenses_user_id"}, {"index", "expenses_category_id"}, {"index", "expenses_split_with"},
	},
	indexed: map[string][]string{"expenses": {"user_id", "category_id", "split_with"}},
	checks:  map[string][]string{"expenses": {"amount_cents > 0"}},
}

// normalChecks folds the case and drops the white space of CHECK
// expressions, so that two spellings of one compare equal.
func normalChecks(checks []string) []string {
	var out []string
	for _, ch := range checks {
		out = append(out, strings.ToLower(strings.Join(strings.Fields(ch), "")))
	}
	return out
}

// schemaWords are the words the lesson's schema is written in, and those
// of the ON DELETE actions and of the other ways to write the same keys
// (a table-level FOREIGN KEY, a named CONSTRAINT, NOT DEFERRABLE, ON
// UPDATE NO ACTION, which pragma foreign_key_list compares, INITIALLY
// DEFERRED, which deferred tries, and MATCH, which SQLite parses and
// ignores): a
// schema that uses any other word says something the lesson's does not,
// often what no pragma reports (an ON CONFLICT clause, STRICT, WITHOUT
// ROWID, a generated column, a TEMP trigger).
var schemaWords = wordSet(`CREATE TABLE INDEX IF NOT EXISTS INTEGER TEXT PRIMARY KEY NULL UNIQUE DEFAULT
	REFERENCES CHECK ON DELETE CASCADE RESTRICT SET NO ACTION FOREIGN CONSTRAINT DEFERRABLE INITIALLY
	IMMEDIATE DEFERRED USERS CATEGORIES EXPENSES ID EMAIL NAME COLOR USER_ID CATEGORY_ID SPLIT_WITH DESCRIPTION
	AMOUNT_CENTS EXPENSE_DATE UPDATE MATCH SIMPLE FULL PARTIAL`)

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}

// wordWhy says what a word the lesson's schema does not use changes.
var wordWhy = map[string]string{
	"CONFLICT": "an ON CONFLICT clause makes SQLite settle a broken UNIQUE, NOT NULL or PRIMARY KEY by\n" +
		"    itself (REPLACE deletes the row in the way, and its cascade with it; IGNORE drops the new row\n" +
		"    without an error) instead of refusing the statement",
	"STRICT":    "a STRICT table refuses values the lesson's table stores (12.5 in an INTEGER column)",
	"WITHOUT":   "a WITHOUT ROWID table has no rowid, so an INSERT without an id gets none",
	"GENERATED": "a generated column is a column the lesson's tables do not have",
	"AS":        "a generated column (AS …) is a column the lesson's tables do not have",
	"COLLATE": "it changes how SQLite compares the column's text: with NOCASE, UNIQUE and = take\n" +
		"    'Wen@example.net' and 'wen@example.net' for one",
	"AUTOINCREMENT": "SQLite then keeps a sqlite_sequence table and never hands out an id again, where\n" +
		"    the lesson's INTEGER PRIMARY KEY may",
	"DESC":      "INTEGER PRIMARY KEY DESC is not the rowid: SQLite no longer gives the row its id",
	"ASC":       "the lesson's key is INTEGER PRIMARY KEY, written without an order",
	"TEMP":      "a TEMP object lives on one connection only, and acts where the lesson's schema has nothing",
	"TEMPORARY": "a TEMP object lives on one connection only, and acts where the lesson's schema has nothing",
	"TRIGGER":   "the lesson's schema has no trigger: what a delete does is the foreign keys' ON DELETE",
	"PRAGMA":    "a PRAGMA in the schema changes the connection, not the tables: the lesson's has none",
}

// wordAlias maps words that belong to one clause to the word wordWhy
// explains it by.
var wordAlias = map[string]string{"REPLACE": "CONFLICT", "IGNORE": "CONFLICT", "ABORT": "CONFLICT",
	"FAIL": "CONFLICT", "ROLLBACK": "CONFLICT", "ROWID": "WITHOUT", "ALWAYS": "GENERATED",
	"STORED": "GENERATED", "VIRTUAL": "GENERATED", "NOCASE": "COLLATE", "RTRIM": "COLLATE", "BINARY": "COLLATE"}

// unknownWords lists, one sentence each, the words of the statements the
// learner's CreateSchema sent that the lesson's schema does not use. The
// name after CONSTRAINT and an index's name are the learner's to choose.
func unknownWords(sent []string) []string {
	var out []string
	said := map[string]bool{}
	for _, stmt := range sent {
		words := sqlite.Words(stmt)
		if i := slices.Index(words, "TRIGGER"); i >= 0 && i <= 2 && words[0] == "CREATE" {
			// A trigger is one thing to remove: the words of its body
			// (BEFORE, OLD, RAISE(ABORT, …)) say nothing more.
			for _, w := range words[1 : i+1] {
				if !said[w] && wordWhy[w] != "" {
					said[w] = true
					out = append(out, fmt.Sprintf("Your schema says %s: %s; remove it.", w, wordWhy[w]))
				}
			}
			continue
		}
		inChecks := map[string]bool{} // a CHECK's own words: its comparison says what differs
		for _, ch := range sqlite.CheckClauses(stmt) {
			for _, w := range sqlite.Words(ch) {
				inChecks[w] = true
			}
		}
		for i, w := range words {
			if inChecks[w] {
				continue
			}
			if i > 0 && (words[i-1] == "CONSTRAINT" || words[i-1] == "INDEX" ||
				i > 2 && words[i-1] == "EXISTS" && words[i-3] == "INDEX") {
				continue // a name
			}
			if schemaWords[w] {
				continue
			}
			key := w
			if a, ok := wordAlias[w]; ok {
				key = a
			}
			if said[key] {
				continue
			}
			said[key] = true
			why, ok := wordWhy[key]
			if !ok {
				why = "the lesson's schema has no such word, so yours says more than it does"
			}
			out = append(out, fmt.Sprintf("Your schema says %s: %s; remove it.", w, why))
		}
	}
	return out
}

// readShape reads the shape of the learner's schema, with pragma table_info,
// index_list, index_info and foreign_key_list.
func readShape(c *checker.C) shape {
	s := shape{columns: map[string][]column{}, unique: map[string][]string{}, keys: map[string][]key{},
		indexed: map[string][]string{}, checks: map[string][]string{}}
	c.Query(&s.objects, `SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	for _, t := range []string{"users", "categories", "expenses"} {
		var cols []column
		// table_xinfo, not table_info: a generated column is hidden from the other.
		c.Query(&cols, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?) ORDER BY cid`, t)
		s.columns[t] = cols
		var unique []string
		c.Query(&unique, `SELECT (SELECT group_concat(coalesce(name, '(expression)'), ',') FROM
				(SELECT name FROM pragma_index_info(il.name) ORDER BY seqno))
			FROM pragma_index_list(?) il WHERE il."unique" AND il.origin != 'pk'`, t)
		sort.Strings(unique)
		s.unique[t] = unique
		var keys []key
		c.Query(&keys, `SELECT "from", "table", upper(on_update) AS on_update, upper(on_delete) AS on_delete
			FROM pragma_foreign_key_list(?) ORDER BY id, seq`, t)
		for i, k := range keys {
			keys[i].Deferred = deferred(c, t, k)
		}
		s.keys[t] = keys
		var leading []string
		c.Query(&leading, `SELECT (SELECT coalesce(name, '(expression)') FROM pragma_index_info(il.name) WHERE seqno = 0)
			FROM pragma_index_list(?) il WHERE il.origin = 'c'`, t)
		s.indexed[t] = leading
		var sqls []string
		c.Query(&sqls, `SELECT coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' AND name = ?`, t)
		if len(sqls) > 0 {
			s.checks[t] = sqlite.CheckClauses(sqls[0])
		}
	}
	return s
}

// deferred reports whether SQLite, inside a transaction, lets a statement
// point k at a parent that does not exist: the key is checked at COMMIT,
// not at each statement. A table without rows cannot tell, and is taken
// for immediate.
func deferred(c *checker.C, table string, k key) bool {
	orphan := fmt.Sprintf(`UPDATE %[1]s SET %[2]q = (SELECT coalesce(max(id), 0) + 1 FROM %[3]s)
		WHERE rowid = (SELECT min(rowid) FROM %[1]s WHERE %[2]q IS NOT NULL)`, table, k.From, k.Parent)
	var n []int
	c.Query(&n, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %q IS NOT NULL`, table, k.From))
	return n[0] > 0 && c.PerformUndone(orphan) == nil
}

// keepsShippedSchema stops the check when the learner's schema differs from
// the lesson's in anything but the foreign keys' ON DELETE actions: a
// column's type, NOT NULL, DEFAULT or primary key, a UNIQUE, a foreign key's
// parent or ON UPDATE, or a table, view or trigger the lesson does not have.
// (The CHECK on amount_cents is tried by keepsAmountsPositive.)
func keepsShippedSchema(c *checker.C, sent []string) {
	if lost := append(unknownWords(sent), schemaDiff(shipped, readShape(c))...); len(lost) > 0 {
		c.Fatalf("Your schema changes more than the foreign keys' ON DELETE actions, which are all this\n"+
			"lesson asks you to decide: keep the tables and their columns as the lesson gives them.\n  %s",
			strings.Join(lost, "\n  "))
	}
}

// schemaDiff lists, one sentence each, how got differs from want.
func schemaDiff(want, got shape) []string {
	var out []string
	shipped := map[string]bool{}
	for _, o := range want.objects {
		shipped[o.Type+" "+o.Name] = true
	}
	for _, o := range got.objects {
		if o.Type == "index" || shipped[o.Type+" "+o.Name] {
			continue
		}
		why := "the lesson's schema has only the tables users, categories and\n" +
			"    expenses and their indexes; remove it"
		if o.Type == "trigger" {
			why = "the lesson's schema has no trigger: what a delete does is\n" +
				"    the foreign keys' ON DELETE actions, which SQLite applies and whoever reads the table sees;\n" +
				"    remove it"
		}
		out = append(out, fmt.Sprintf("Your schema adds the %s %s: %s.", o.Type, o.Name, why))
	}
	for _, t := range []string{"users", "categories", "expenses"} {
		keyColumns := map[string]bool{} // the columns whose DEFAULT an ON DELETE SET DEFAULT uses
		for _, k := range got.keys[t] {
			keyColumns[k.From] = k.OnDelete == "SET DEFAULT"
		}
		for _, col := range missing(want.indexed[t], got.indexed[t]) {
			out = append(out, fmt.Sprintf("%s.%s lost its index: without one, every delete of a parent makes SQLite read all\n"+
				"    of %s for the rows its ON DELETE must change; keep CREATE INDEX on %s(%s).", t, col, t, t, col))
		}
		for _, ch := range got.checks[t] {
			if has(normalChecks(want.checks[t]), normalChecks([]string{ch})[0]) {
				continue
			}
			out = append(out, fmt.Sprintf("Your table %s has CHECK (%s), which the lesson's has not: keep the\n"+
				"    lesson's CHECK as it is, and add none (a CHECK of your own refuses rows the lesson's table takes).", t, ch))
		}
		have := map[string]column{}
		for _, col := range got.columns[t] {
			have[col.Name] = col
		}
		wanted := map[string]bool{}
		for _, w := range want.columns[t] {
			wanted[w.Name] = true
			name := t + "." + w.Name
			g, ok := have[w.Name]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s is gone: keep it, %s %s.", name, w.Name, w.Type))
				continue
			case !strings.EqualFold(g.Type, w.Type):
				out = append(out, fmt.Sprintf("%s is declared %q, where the lesson's is %s: keep the type.", name, g.Type, w.Type))
			}
			switch {
			case w.NotNull && !g.NotNull:
				why := whyNotNull[name]
				out = append(out, fmt.Sprintf("%s lost its NOT NULL: %s; keep NOT NULL.", name, why))
			case !w.NotNull && g.NotNull && w.PK == 0:
				out = append(out, fmt.Sprintf("%s is NOT NULL, where the lesson's may be NULL (NULL says the expense is\n"+
					"    not shared): keep it without NOT NULL.", name))
			}
			if !keyColumns[w.Name] && defaultText(g.Default) != defaultText(w.Default) {
				if w.Default == nil {
					out = append(out, fmt.Sprintf("%s has a DEFAULT %s, which the lesson's has not: remove it.", name, *g.Default))
				} else {
					out = append(out, fmt.Sprintf("%s lost its DEFAULT %s (now %s): keep DEFAULT %s.", name, *w.Default, defaultText(g.Default), *w.Default))
				}
			}
			if (w.PK > 0) != (g.PK > 0) {
				if w.PK > 0 {
					out = append(out, fmt.Sprintf("%s is no longer the PRIMARY KEY: keep %s INTEGER PRIMARY KEY.", name, w.Name))
				} else {
					out = append(out, fmt.Sprintf("%s is part of a PRIMARY KEY, where the lesson's is not: keep the table's key id.", name))
				}
			}
		}
		for _, g := range got.columns[t] {
			if !wanted[g.Name] {
				out = append(out, fmt.Sprintf("%s.%s is a column the lesson's table does not have: remove it.", t, g.Name))
			}
		}
		for _, u := range missing(want.unique[t], got.unique[t]) {
			why := whyUnique[t+"."+u]
			if why == "" {
				why = "the lesson's schema says so"
			}
			out = append(out, fmt.Sprintf("%s.%s lost its UNIQUE: %s; keep UNIQUE.", t, u, why))
		}
		for _, u := range missing(got.unique[t], want.unique[t]) {
			out = append(out, fmt.Sprintf("%s.%s is UNIQUE, where the lesson's is not: remove the UNIQUE.", t, u))
		}
		for _, w := range want.keys[t] {
			g, ok := keyOn(got.keys[t], w.From)
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s.%s no longer REFERENCES %s(id): keep the foreign key, and give it its ON DELETE.", t, w.From, w.Parent))
			case g.Parent != w.Parent:
				out = append(out, fmt.Sprintf("%s.%s REFERENCES %s, where the lesson's REFERENCES %s(id): keep the parent.", t, w.From, g.Parent, w.Parent))
			case g.OnUpdate != w.OnUpdate:
				out = append(out, fmt.Sprintf("%s.%s says ON UPDATE %s, which acts when the parent's id changes, never on a delete:\n"+
					"    the lesson asks for ON DELETE only; remove the ON UPDATE.", t, w.From, g.OnUpdate))
			case g.Deferred && !w.Deferred:
				out = append(out, fmt.Sprintf("%s.%s is DEFERRABLE INITIALLY DEFERRED: inside a transaction SQLite then lets a\n"+
					"    statement leave an expense pointing at no %s, and refuses only at COMMIT. The lesson's\n"+
					"    keys are checked at each statement, and ON DELETE is all it asks you to decide; remove\n"+
					"    the DEFERRABLE clause.", t, w.From, map[string]string{"users": "user", "categories": "category"}[w.Parent]))
			}
		}
		perColumn := map[string][]string{}
		for _, g := range got.keys[t] {
			perColumn[g.From] = append(perColumn[g.From], g.OnDelete)
		}
		for _, w := range want.keys[t] {
			if actions := perColumn[w.From]; len(actions) > 1 {
				out = append(out, fmt.Sprintf("%s.%s has %d foreign keys (ON DELETE %s): REFERENCES on the column and a\n"+
					"    FOREIGN KEY clause for it are two keys, and SQLite applies both. Keep one.",
					t, w.From, len(actions), strings.Join(actions, ", ")))
			}
		}
		for _, g := range got.keys[t] {
			if _, ok := keyOn(want.keys[t], g.From); !ok {
				out = append(out, fmt.Sprintf("%s.%s REFERENCES %s, a foreign key the lesson's table does not have: remove it.", t, g.From, g.Parent))
			}
		}
	}
	return out
}

func defaultText(d *string) string {
	if d == nil {
		return "none"
	}
	return *d
}

// missing returns the entries of want that are not in got.
func missing(want, got []string) []string {
	var out []string
	for _, w := range want {
		if !has(got, w) {
			out = append(out, w)
		}
	}
	return out
}

func keyOn(keys []key, from string) (key, bool) {
	for _, k := range keys {
		if k.From == from {
			return k, true
		}
	}
	return key{}, false
}

// noAction names the NO ACTION of expenses.column's foreign key: written
// out in the schema, or SQLite's default for a key that names no action.
func noAction(c *checker.C, column string) string {
	var sqls []string
	c.Query(&sqls, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'expenses'`)
	text := strings.Join(sqls, "")
	written := regexp.MustCompile(`(?is)\b` + regexp.QuoteMeta(column) + `\b[^,]*?\bON\s+DELETE\s+NO\s+ACTION\b`)
	switch {
	case written.MatchString(text):
		return "NO ACTION"
	case regexp.MustCompile(`(?is)\bON\s+DELETE\s+NO\s+ACTION\b`).MatchString(text):
		return "NO ACTION (written out, or left as SQLite's default)"
	}
	return "NO ACTION (SQLite's default)"
}

// explainDelete words the refusal err of a DELETE of the row id of parent,
// naming the action each foreign key that refused it declares. Where
// checker.Explain would call every SQLITE_CONSTRAINT_FOREIGNKEY a NO ACTION,
// this names the keys that say SET DEFAULT and whose default pointed the
// rows at the row being deleted, or at no row at all.
func explainDelete(c *checker.C, err error, parent string, id int64) string {
	if _, code := refusedBy(err); code != sqlite3.ErrConstraintForeignKey {
		return checker.Explain(err)
	}
	var refused *checker.RefusedError
	errors.As(err, &refused)
	noun := strings.TrimSuffix(parent, "s")
	if parent == "categories" {
		noun = "category"
	}
	var lines []string
	for _, r := range refusedReferrers(refused) {
		if r.Table == "expenses" && r.OnDelete == "NO ACTION" {
			lines = append(lines, fmt.Sprintf("Rows still point at the %s being deleted through expenses.%s, whose foreign key says\n"+
				"%s: the parent may not go while children refer to it.", noun, r.Column, noAction(c, r.Column)))
		}
	}
	var setDefault []string
	c.Query(&setDefault, `SELECT "from" FROM pragma_foreign_key_list('expenses')
		WHERE "table" = ? AND upper(on_delete) = 'SET DEFAULT' ORDER BY id`, parent)
	{
		for _, col := range setDefault {
			var n []int
			c.Query(&n, fmt.Sprintf(`SELECT count(*) FROM expenses WHERE %q = ?`, col), id)
			var defaults []string
			c.Query(&defaults, `SELECT coalesce(dflt_value, 'NULL') FROM pragma_table_info('expenses') WHERE name = ?`, col)
			if len(n) == 0 || n[0] == 0 || len(defaults) != 1 || strings.EqualFold(defaults[0], "NULL") {
				continue
			}
			def := defaults[0]
			var where string
			if def == fmt.Sprint(id) {
				where = fmt.Sprintf("%s is that very %s, so they still pointed at the row being deleted", def, noun)
			} else {
				var found []int
				c.Query(&found, fmt.Sprintf(`SELECT count(*) FROM %q WHERE id = %s`, parent, def))
				if len(found) == 1 && found[0] == 0 {
					where = fmt.Sprintf("and no %s has id %s: they pointed at a %s that does not exist", noun, def, noun)
				} else {
					where = "and the rows were refused there"
				}
			}
			lines = append(lines, fmt.Sprintf("expenses.%s says ON DELETE SET DEFAULT, and its DEFAULT is %s. SQLite set %s to %s\n"+
				"on the %s that pointed at the %s being deleted:\n"+
				"%s, and the foreign key refused the whole DELETE.", col, def, col, def, expenses(n[0]), noun, where))
		}
	}
	if len(lines) == 0 {
		return checker.Explain(err)
	}
	var b strings.Builder
	b.WriteString("SQLite refused the change: FOREIGN KEY constraint failed (SQLITE_CONSTRAINT_FOREIGNKEY).\n")
	b.WriteString(strings.Join(lines, "\n"))
	if rs := refusedReferrers(refused); len(rs) > 0 {
		b.WriteString("\nRows that still point at the rows it would delete:")
		for _, r := range rs {
			b.WriteString("\n  " + r.String())
		}
	}
	return b.String()
}

func refusedReferrers(r *checker.RefusedError) []checker.Referrer {
	if r == nil {
		return nil
	}
	return r.Referrers
}
