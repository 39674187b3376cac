// Package checker runs a lesson's checks against the learner's code.
//
// A check is a Go test, in the lesson's external test package (so that
// its names never meet the learner's), that calls [Run] with the check's
// name (as the lesson's lesson.json declares it), the data sets it runs on,
// and how many SQL statements the learner's code may execute. The body
// calls the learner's function with a database handle from [C.DB] and
// states what should come back:
//
//	package joinfilter_test
//
//	import (
//		"testing"
//
//		"workbook/checker"
//		joinfilter "workbook/lessons/04-join-filter"
//	)
//
//	func TestFoodExpenses(t *testing.T) {
//		checker.Run(t, checker.Check{
//			Name:   "food-by-amount",
//			Data:   []string{"budget", "budget-variant"},
//			Budget: 1,
//		}, func(c *checker.C) {
//			got, err := joinfilter.ExpensesInCategory(c.DB(), "Food")
//			c.NoError(err, `ExpensesInCategory(db, "Food")`)
//			c.Expect(got, checker.Ordered)
//		})
//	}
//
// The body runs once for each data set, every time on a fresh private copy
// of the seeded database with foreign keys on, so a check can never change
// the files in data/ or see another check's writes. Its connections have
// PRAGMA reverse_unordered_selects on: a query without ORDER BY returns its
// rows in the reverse of the usual order, so code that relies on an order it
// never asked for fails. Ties inside an ORDER BY, and a GROUP BY's sorted
// groups, are not reversed by that, so a check that compared an ordered list
// and passed runs once more on a copy of its first data set, with every
// order the learner's queries leave open turned round (see
// [workbook/checker/stmtlog.TieBreak]), and, for a query whose order could
// not be turned round, once more on a copy stored in another order (see
// reorder.go); [OrderBy] states the order, for the message on a key left
// out. Every statement the
// learner's code executes through the handle is recorded by package
// [workbook/checker/stmtlog]; a run over the budget fails with the numbered
// statements, and a statement repeated once per row of an earlier query is
// named as the N+1 pattern, with its fix.
//
// [C.Expect] compares the returned value with the expected result kept in
// the lesson's folder, expected/<check>/<data set>.json, and explains any
// difference (missing rows, unexpected rows, changed fields, right rows in
// the wrong order). Expected files are written from the reference solution,
// never by hand: `workbook dev expected <lesson>` runs the checks with the
// solution in place, asking them to write what they get
// ([protocol.Env.Update]).
//
// Checks of writes compare the tables before and after:
//
//	before := c.Snapshot()
//	err := DeleteUser(c.DB(), 1)
//	c.NoError(err, "DeleteUser(db, 1)")
//	c.ExpectChanges(before, checker.Changes{
//		"users":    {Removed: "id = 1"},
//		"expenses": {Removed: "user_id = 1"},
//	})
//
// Tables the Changes do not name must not change at all. A table the
// learner's code creates is named with Created: true, and all its rows count
// as added:
//
//	c.ExpectChanges(before, checker.Changes{
//		"accounts": {Created: true, Added: 4},
//	})
//
// A lesson whose learner writes the schema starts from an empty database
// instead, and loads the data set's rows into the learner's tables once they
// exist:
//
//	checker.Run(t, checker.Check{Name: "user-takes-expenses", Data: data, StartEmpty: true}, func(c *checker.C) {
//		c.NoError(CreateSchema(c.DB()), "CreateSchema(db)")
//		c.LoadRows("users", "categories", "expenses") // parents first
//		…
//	})
//
// [C.LoadRows] copies column by column by name, and stops the check with a
// sentence when the learner's schema lacks a table or a column, or refuses
// a row. The check then performs the deletes itself, and compares what each
// one touched:
//
//	before := c.Snapshot()
//	if err := c.Perform(`DELETE FROM users WHERE id = 1`); err != nil {
//		c.Fatalf("Deleting Alice was refused:\n%s", checker.Explain(err))
//	}
//	c.ExpectChanges(before, checker.Changes{
//		"users":    {Removed: "id = 1"},
//		"expenses": {Removed: "user_id = 1"},
//	})
//
// [C.Perform] returns SQLite's refusal as a *[RefusedError] rather than
// stopping; [Explain] words it and, for a refused DELETE, lists the rows that
// still point at the rows it would have removed, with their foreign keys'
// ON DELETE actions. [C.ChangesSince] describes everything a statement
// changed, for the check's own messages.
//
// A check can also hold the learner's code to a time budget, stated as a
// ratio to a reference implementation that the check file provides, never
// as an absolute time:
//
//	c.ExpectSpeed(checker.Speed{
//		Reference: func(db *sqlx.DB) error { _, err := referenceReport(db); return err }, // in the check file
//		Learner:   func(db *sqlx.DB) error { _, err := BudgetReport(db); return err },
//		Ratio:     3,
//	})
//
// [C.ExpectSpeed] runs both in turn, several times, in the same process on
// the same data, and compares the medians of their CPU time.
//
// A panic in the learner's code fails the check with the panic's value and
// the learner's file and line; code that does not return within the check's
// time limit fails it as a timeout. Either way the other checks still run.
//
// Whoever runs the checks steers them through the environment, as package
// [workbook/internal/protocol] defines it ([protocol.Env]), read once as
// this package initializes, before any of the learner's code runs. When it
// names a results file, each check appends its start and its verdict to it
// as JSON records; the workbook command reads verdicts from there, so
// nothing the learner's code prints can change one. Two more settings serve
// the learner: Explain keeps each check's whole statement log in its
// verdict (workbook run -explain), and Latency makes every statement of the
// learner's code wait a simulated network round trip (workbook run
// -latency 2ms).
package checker
