package checker

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/jmoiron/sqlx"
)

// The functions in this file play the learner's code in the checker's own
// tests: one right answer and one of each kind of mistake.

type expense struct {
	ID          int64  `db:"id"`
	Description string `db:"description"`
	AmountCents int64  `db:"amount_cents"`
	Owner       string `db:"owner"`
}

const foodQuery = `SELECT e.id, e.description, e.amount_cents, u.name AS owner
	FROM expenses e
	JOIN categories c ON c.id = e.category_id
	JOIN users u ON u.id = e.user_id
	WHERE c.name = ?`

func foodByAmount(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, foodQuery+` ORDER BY e.amount_cents DESC, e.id`, "Food")
	return out, err
}

func foodInIDOrder(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, foodQuery+` ORDER BY e.id`, "Food")
	return out, err
}

func foodWithoutTheCheapest(db *sqlx.DB) ([]expense, error) {
	out, err := foodByAmount(db)
	return out[:len(out)-1], err
}

// foodRowByRow gets the right rows with one statement per expense.
func foodRowByRow(db *sqlx.DB) ([]expense, error) {
	var ids []int64
	if err := db.Select(&ids, `SELECT e.id FROM expenses e JOIN categories c ON c.id = e.category_id
		WHERE c.name = 'Food' ORDER BY e.amount_cents DESC, e.id`); err != nil {
		return nil, err
	}
	var out []expense
	for _, id := range ids {
		var e expense
		if err := db.Get(&e, `SELECT e.id, e.description, e.amount_cents, u.name AS owner
			FROM expenses e JOIN users u ON u.id = e.user_id WHERE e.id = ?`, id); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// foodForAlice hard-codes what it read in the lesson's data.
func foodForAlice(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, foodQuery+` AND e.id IN (1, 5, 6, 10, 2, 8) ORDER BY e.amount_cents DESC, e.id`, "Food")
	return out, err
}

func foodPanics(db *sqlx.DB) ([]expense, error) {
	var totals map[string]int64
	totals["Food"] += 1 // assignment to entry in nil map
	return nil, nil
}

func foodBadColumn(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, `SELECT id, description, amount_cents, nme AS owner FROM expenses`)
	return out, err
}

func foodHangs(db *sqlx.DB) ([]expense, error) {
	select {}
}

var errNoSuchUser = errors.New("no such user")

// addExpense should refuse an expense for a user that does not exist.
func addExpense(db *sqlx.DB, userID int64) error {
	_, err := db.Exec(`INSERT INTO expenses (user_id, category_id, description, amount_cents, expense_date)
		VALUES (?, 1, 'Tea', 300, '2026-02-01')`, userID)
	return err
}

func deleteUser(db *sqlx.DB, id int64) error {
	if _, err := db.Exec(`DELETE FROM expenses WHERE user_id = ?`, id); err != nil {
		return err
	}
	_, err := db.Exec(`DELETE FROM users WHERE id = ?`, id)
	return err
}

// deleteUserTooMuch removes every Lunch, not just the user's.
func deleteUserTooMuch(db *sqlx.DB, id int64) error {
	if _, err := db.Exec(`DELETE FROM expenses WHERE user_id = ? OR description = 'Lunch'`, id); err != nil {
		return err
	}
	_, err := db.Exec(`DELETE FROM users WHERE id = ?`, id)
	return err
}

// foodGoexit ends the check's goroutine without returning.
func foodGoexit(db *sqlx.DB) ([]expense, error) {
	runtime.Goexit()
	return nil, nil
}

// foodHugeError returns an error far longer than any report should be.
func foodHugeError(db *sqlx.DB) ([]expense, error) {
	return nil, errors.New(strings.Repeat("x", 1<<20))
}

// addUserUnlessThere looks the user up before it inserts: two statements a
// call, from no loop.
func addUserUnlessThere(db *sqlx.DB, name string) error {
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM users WHERE name = ?`, name); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	_, err := db.Exec(`INSERT INTO users (email, name) VALUES (?, ?)`, name+"@example.com", name)
	return err
}

// foodThroughAHelper loads each expense through a helper called once per
// id: the statement is in the helper, the loop in its caller.
func foodThroughAHelper(db *sqlx.DB) ([]expense, error) {
	var ids []int64
	if err := db.Select(&ids, `SELECT e.id FROM expenses e JOIN categories c ON c.id = e.category_id
		WHERE c.name = 'Food' ORDER BY e.amount_cents DESC, e.id`); err != nil {
		return nil, err
	}
	out := make([]expense, 0, len(ids))
	for _, id := range ids {
		e, err := loadExpense(db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func loadExpense(db *sqlx.DB, id int64) (expense, error) {
	var e expense
	err := db.Get(&e, `SELECT e.id, e.description, e.amount_cents, u.name AS owner
		FROM expenses e JOIN users u ON u.id = e.user_id WHERE e.id = ?`, id)
	return e, err
}

// addUserBesideTx writes inside a transaction, then through db while the
// transaction is still open: the second write waits for the first's lock.
func addUserBesideTx(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO users (email, name) VALUES ('dee@example.com', 'Dee')`); err != nil {
		return err
	}
	if _, err := db.Exec(`INSERT INTO users (email, name) VALUES ('eve@example.com', 'Eve')`); err != nil {
		return err
	}
	return tx.Commit()
}

// foodWithoutTieBreak leaves the order of the two lunches at 2500 open.
func foodWithoutTieBreak(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, foodQuery+` ORDER BY e.amount_cents DESC`, "Food")
	return out, err
}

// foodCheapestFirst turns the order around.
func foodCheapestFirst(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, foodQuery+` ORDER BY e.amount_cents, e.id`, "Food")
	return out, err
}

// foodThenCount gets the right rows, then counts them again with a
// statement of its own: two statements, no shape repeated.
func foodThenCount(db *sqlx.DB) ([]expense, error) {
	out, err := foodByAmount(db)
	if err != nil {
		return nil, err
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM expenses`); err != nil {
		return nil, err
	}
	return out, nil
}

// foodUnordered leaves the order to SQLite: no ORDER BY.
func foodUnordered(db *sqlx.DB) ([]expense, error) {
	var out []expense
	err := db.Select(&out, `SELECT e.id, e.description, e.amount_cents, u.name AS owner
		FROM expenses e JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id
		WHERE c.name = 'Food'`)
	return out, err
}

// The units of work of TestAllOrNothing: each adds two users. Only
// addTwoInOneTx is all or nothing.

const (
	addDee = `INSERT INTO users (email, name) VALUES ('dee@example.com', 'Dee')`
	addEve = `INSERT INTO users (email, name) VALUES ('eve@example.com', 'Eve')`
)

func addTwoInOneTx(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(addDee); err != nil {
		return err
	}
	if _, err := tx.Exec(addEve); err != nil {
		return err
	}
	return tx.Commit()
}

// addTwoCommittingHalfWay commits after the first user.
func addTwoCommittingHalfWay(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(addDee); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.Exec(addEve)
	return err
}

// addTwoWithoutTx begins no transaction.
func addTwoWithoutTx(db *sqlx.DB) error {
	if _, err := db.Exec(addDee); err != nil {
		return err
	}
	_, err := db.Exec(addEve)
	return err
}

// addTwoDroppingErrors ignores the error of the second user's INSERT.
func addTwoDroppingErrors(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(addDee); err != nil {
		return err
	}
	tx.Exec(addEve)
	return tx.Commit()
}

// addTwoReturningALaterError goes on after a failed write, and returns an
// error of its own, made after a count it read, in place of the write's.
func addTwoReturningALaterError(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err1 := tx.Exec(addDee)
	_, err2 := tx.Exec(addEve)
	if err1 != nil || err2 != nil {
		var n int
		if err := tx.Get(&n, `SELECT count(*) FROM users`); err != nil {
			return err
		}
		return fmt.Errorf("%d users, not all added", n)
	}
	return tx.Commit()
}

// addTwoLeavingTxOpen returns on an error without ending its transaction.
func addTwoLeavingTxOpen(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(addDee); err != nil {
		return err
	}
	if _, err := tx.Exec(addEve); err != nil {
		return err
	}
	return tx.Commit()
}

// foodWithAnIndex makes itself an index before it reads: a change to the
// schema from code that only reads.
func foodWithAnIndex(db *sqlx.DB) ([]expense, error) {
	if _, err := db.Exec(`CREATE INDEX IF NOT EXISTS food_helper ON expenses (category_id, amount_cents)`); err != nil {
		return nil, err
	}
	var out []expense
	err := db.Select(&out, foodQuery+` ORDER BY e.amount_cents DESC, e.id`, "Food")
	return out, err
}

// foodDroppingAnIndex drops the index on expenses.user_id after it reads.
func foodDroppingAnIndex(db *sqlx.DB) ([]expense, error) {
	var out []expense
	if err := db.Select(&out, foodQuery+` ORDER BY e.amount_cents DESC, e.id`, "Food"); err != nil {
		return nil, err
	}
	_, err := db.Exec(`DROP INDEX expenses_user_id`)
	return out, err
}

// foodTouchingRows reads the category's expenses through an UPDATE that
// writes every row back as it was: a write in code that is to read.
func foodTouchingRows(db *sqlx.DB) ([]expense, error) {
	var ids []int64
	if err := db.Select(&ids, `UPDATE expenses SET description = description
		WHERE category_id = (SELECT id FROM categories WHERE name = ?) RETURNING id`, "Food"); err != nil {
		return nil, err
	}
	return foodByAmount(db)
}

// addTwoDroppingCommitError ignores the error of its Commit.
func addTwoDroppingCommitError(db *sqlx.DB) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(addDee); err != nil {
		return err
	}
	if _, err := tx.Exec(addEve); err != nil {
		return err
	}
	tx.Commit()
	return nil
}
