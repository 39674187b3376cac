package orphans_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"

	"workbook/checker"
	"workbook/checker/stmtlog"
	orphans "workbook/lessons/11-orphans"
)

var data = []string{"budget", "budget-variant"}

// userWith returns the id of a user with at least n expenses: the first by
// id, or the last when last is true.
func userWith(c *checker.C, n int, last bool) int64 {
	order := "ASC"
	if last {
		order = "DESC"
	}
	var ids []int64
	c.Query(&ids, fmt.Sprintf(`SELECT user_id FROM expenses GROUP BY user_id HAVING count(*) >= ? ORDER BY user_id %s LIMIT 1`, order), n)
	return ids[0]
}

// userAroundOthers returns the id of the last user with at least n
// expenses between whose smallest and largest ids another user's expense
// lies (so that an expense moved in keeps an id inside the range the
// collection loaded), or, where no user has one, the last with n.
func userAroundOthers(c *checker.C, n int) int64 {
	var ids []int64
	c.Query(&ids, `SELECT r.user_id FROM (SELECT user_id, min(id) AS lo, max(id) AS hi FROM expenses
			GROUP BY user_id HAVING count(*) >= ?) r
		WHERE EXISTS (SELECT 1 FROM expenses o WHERE o.user_id <> r.user_id AND o.id BETWEEN r.lo AND r.hi)
		ORDER BY r.user_id DESC LIMIT 1`, n)
	if len(ids) == 0 {
		return userWith(c, n, true)
	}
	return ids[0]
}

// userWithout returns the id of a user who has no expenses.
func userWithout(c *checker.C) int64 {
	var ids []int64
	c.Query(&ids, `SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM expenses) ORDER BY id LIMIT 1`)
	return ids[0]
}

// load calls the learner's LoadUser, which must give at least n expenses.
func load(c *checker.C, id int64, n int) *orphans.User {
	u, err := orphans.LoadUser(c.DB(), id)
	c.NoError(err, fmt.Sprintf("LoadUser(db, %d)", id))
	if len(u.Expenses) < n {
		c.Fatalf("LoadUser(db, %d) loaded %d expenses; the user has at least %d. LoadUser is given\n"+
			"in the lesson's file: undo your changes to it.", id, len(u.Expenses), n)
	}
	return u
}

// remove takes the expense with the given id out of u's collection, as the
// program would.
func remove(u *orphans.User, id int64) {
	u.Expenses = slices.DeleteFunc(u.Expenses, func(e orphans.Expense) bool { return e.ID == id })
}

// deleteOrphans calls the learner's DeleteOrphans and explains the errors
// this lesson's wrong turns give.
func deleteOrphans(c *checker.C, u *orphans.User) {
	call := fmt.Sprintf("DeleteOrphans(db, u) for user %d (%s)", u.ID, u.Name)
	err := orphans.DeleteOrphans(c.DB(), u)
	var se sqlite3.Error
	var left []int
	if err != nil && len(u.Expenses) == 0 {
		c.Query(&left, `SELECT count(*) FROM expenses WHERE user_id = ?`, u.ID)
	}
	switch {
	case err == nil:
	case strings.Contains(err.Error(), "empty slice passed to 'in' query") && len(left) > 0 && left[0] > 0:
		c.Fatalf("%s returned an error:\n    %v\n"+
			"sqlx.In refuses an empty list, because SQL has no IN (). Here every expense was removed, so\n"+
			"there is plenty to delete: the empty list is the ones kept, which u.Expenses no longer holds.\n"+
			"A DELETE … WHERE id NOT IN (the kept ids) has nothing to name when nothing is kept (and\n"+
			"deletes rows added since loading when something is). Name the removed ids instead: those\n"+
			"u.loaded holds and u.Expenses does not, in DELETE … WHERE id IN (…).", call, err)
	case strings.Contains(err.Error(), "empty slice passed to 'in' query"):
		c.Fatalf("%s returned an error:\n    %v\n"+
			"sqlx.In refuses an empty list, because SQL has no IN (). Nothing to delete means nothing to\n"+
			"send: when no expense was removed, return before building the query.", call, err)
	case errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintNotNull:
		c.Fatalf("%s returned an error:\n    %v\n"+
			"Setting user_id to NULL is what an ORM does with a child taken out of a collection when the\n"+
			"relationship has no delete-orphan: it un-links the row and keeps it. Here the schema says\n"+
			"user_id NOT NULL, because an expense cannot exist without its user, so SQLite refuses.\n"+
			"Delete the rows that were removed from the collection instead.", call, err)
	}
	c.NoError(err, call)
}

// spentBy counts each user's expenses, by name, to name the users whose
// expenses a wrong DELETE took.
type spentBy struct {
	Name string `db:"name"`
	N    int    `db:"n"`
}

func expenseCounts(c *checker.C, except int64) []spentBy {
	var out []spentBy
	// A user who shares a name with another is named with their id too:
	// "Alice (user 7)".
	c.Query(&out, `SELECT CASE WHEN (SELECT count(*) FROM users o WHERE o.name = u.name) > 1
		THEN u.name || ' (user ' || u.id || ')' ELSE u.name END AS name,
		count(e.id) AS n FROM users u LEFT JOIN expenses e ON e.user_id = u.id
		WHERE u.id != ? GROUP BY u.id ORDER BY u.id`, except)
	return out
}

// othersLost returns how many expenses other users lost between before
// and now.
func othersLost(c *checker.C, u *orphans.User, before []spentBy) int {
	now := expenseCounts(c, u.ID)
	total := 0
	for i, b := range before {
		if i < len(now) && now[i].N < b.N {
			total += b.N - now[i].N
		}
	}
	return total
}

// othersUntouched fails the check, naming them, when other users lost
// expenses between before and now.
func othersUntouched(c *checker.C, u *orphans.User, before []spentBy) {
	now := expenseCounts(c, u.ID)
	var lost []string
	total := 0
	for i, b := range before {
		if i < len(now) && now[i].N < b.N {
			lost = append(lost, fmt.Sprintf("%s (%d)", b.Name, b.N-now[i].N))
			total += b.N - now[i].N
		}
	}
	if len(lost) > 0 {
		c.Errorf("DeleteOrphans(db, u) for %s also deleted %d expenses of other users: %s.\n"+
			"u.Expenses is %s's collection; the expenses table holds everyone's. A DELETE that is not\n"+
			"scoped to the user (AND user_id = ?) and to the ids removed from the collection deletes\n"+
			"rows that were never in it.", u.Name, total, strings.Join(lost, ", "), u.Name)
	}
}

func TestRemovesOne(t *testing.T) {
	checker.Run(t, checker.Check{Name: "removes-one", Data: data, Budget: 3, Writes: true}, func(c *checker.C) {
		// Where the data has one, the expense removed has the description of
		// another expense of the same user that stays (budget-variant: Wen's
		// two Noodles), so that only its id tells which one went.
		var twins []struct {
			User int64 `db:"user_id"`
			ID   int64 `db:"id"`
		}
		c.Query(&twins, `SELECT e.user_id, e.id FROM expenses e WHERE EXISTS (SELECT 1 FROM expenses f
			WHERE f.user_id = e.user_id AND f.description = e.description AND f.id < e.id)
			AND (SELECT count(*) FROM expenses WHERE user_id = e.user_id) >= 3 ORDER BY e.user_id, e.id LIMIT 1`)
		var u *orphans.User
		var gone orphans.Expense
		if len(twins) > 0 {
			u = load(c, twins[0].User, 3)
			i := slices.IndexFunc(u.Expenses, func(e orphans.Expense) bool { return e.ID == twins[0].ID })
			if i < 0 {
				c.Fatalf("LoadUser(db, %d) did not load expense %d, which is the user's. LoadUser is given\n"+
					"in the lesson's file: undo your changes to it.", u.ID, twins[0].ID)
			}
			gone = u.Expenses[i]
		} else {
			u = load(c, userWith(c, 3, false), 3)
			gone = u.Expenses[1]
		}
		// Another request gives one of the loaded expenses to another user
		// after the load, and the program then takes it out of the
		// collection too: it is that user's now, and must stay.
		var ids []int64
		for _, e := range u.Expenses {
			ids = append(ids, e.ID)
		}
		out := moveOut(c, u, gone.ID)
		others := expenseCounts(c, u.ID)
		before := c.Snapshot()
		remove(u, gone.ID)
		remove(u, out.id)
		// And the program adds two, not yet saved (no id): the collection
		// is as long as it was loaded, and it holds ID 0. Then it sorts the
		// collection its own way: newest first.
		u.Expenses = append(u.Expenses,
			orphans.Expense{Description: "Tea", AmountCents: 300},
			orphans.Expense{Description: "Cake", AmountCents: 450})
		slices.Reverse(u.Expenses)
		held := describe(u, ids)
		n := len(c.Statements())
		deleteOrphans(c, u)
		if stillThere(c, gone.ID) {
			c.Errorf("DeleteOrphans(db, u) for %s left %q (id %d) in the table, which was taken out of\n"+
				"the collection. When DeleteOrphans was called,\n%s\n%s"+
				"Delete the ids u.loaded holds and u.Expenses no longer does, in any order the slice is in.",
				u.Name, gone.Description, gone.ID, held, why(c.Statements()[n:]))
			return
		}
		if !stillThere(c, out.id) && othersLost(c, u, others) == 1 {
			c.Errorf("DeleteOrphans(db, u) for %s deleted %s.\n"+
				"It was loaded with %s and taken out of the collection, but it is not this %s's any more: a\n"+
				"DELETE by id alone takes another user's expense, and so does one scoped by the name, which two\n"+
				"users can share. Scope it to the user's id: AND user_id = ?.",
				u.Name, out.how, u.Name, u.Name)
			return
		}
		othersUntouched(c, u, others)
		c.ExpectChanges(before, checker.Changes{
			"expenses": {Removed: fmt.Sprintf("id = %d", gone.ID)},
		})
	})
}

// moveOut gives one of the expenses loaded for u, other than keep, to
// another user, as a request that corrects who paid would after LoadUser:
// to a second user of u's name, made for the purpose (names are not unique:
// two people may share one), so that a DELETE scoped by the name instead of
// the id takes it too.
func moveOut(c *checker.C, u *orphans.User, keep int64) arrival {
	var picks []struct {
		ID          int64  `db:"id"`
		Description string `db:"description"`
	}
	c.Query(&picks, `SELECT id, description FROM expenses WHERE user_id = ? AND id != ? ORDER BY id DESC LIMIT 1`, u.ID, keep)
	if len(picks) == 0 {
		c.Fatalf("checker: user %d has no second expense to move", u.ID)
	}
	c.Exec(`INSERT INTO users (name, email) SELECT name, 'namesake.' || email FROM users WHERE id = ?`, u.ID)
	var owner []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	c.Query(&owner, `SELECT id, name FROM users WHERE email = (SELECT 'namesake.' || email FROM users WHERE id = ?)`, u.ID)
	p, o := picks[0], owner[0]
	c.Exec(`UPDATE expenses SET user_id = ? WHERE id = ?`, o.ID, p.ID)
	return arrival{p.ID, fmt.Sprintf("%q (id %d), an expense given after the load to another %s (user %d)", p.Description, p.ID, o.Name, o.ID)}
}

func stillThere(c *checker.C, id int64) bool {
	var left []int64
	c.Query(&left, `SELECT id FROM expenses WHERE id = ?`, id)
	return len(left) > 0
}

// describe says what u's collection holds, for a failure's message.
func describe(u *orphans.User, ids []int64) string {
	var loaded, now []string
	for _, id := range ids {
		loaded = append(loaded, fmt.Sprint(id))
	}
	for _, e := range u.Expenses {
		if e.ID == 0 {
			now = append(now, fmt.Sprintf("0 (%q, not saved yet)", e.Description))
			continue
		}
		now = append(now, fmt.Sprint(e.ID))
	}
	return fmt.Sprintf("    u.loaded held the ids %s\n"+
		"    u.Expenses held, in this order, %s\n"+
		"  (two loaded expenses taken out, and two added that are not saved yet, with ID 0).",
		strings.Join(loaded, ", "), strings.Join(now, ", "))
}

// why names the cause of a removed expense left in the table that the
// statements DeleteOrphans sent show, or says none was sent.
func why(ran []stmtlog.Entry) string {
	var deletes []stmtlog.Entry
	for _, e := range ran {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(e.SQL)), "DELETE") {
			deletes = append(deletes, e)
		}
	}
	if len(deletes) == 0 {
		return "DeleteOrphans sent no DELETE. Counting does not tell what was removed: the collection is as\n" +
			"long as what was loaded, since the program added two expenses while it took two out.\n"
	}
	for _, d := range deletes {
		hasNull := slices.ContainsFunc(d.Args, func(a any) bool { return a == nil })
		if hasNull && strings.Contains(strings.ToUpper(d.SQL), "NOT IN") {
			return "Your DELETE's NOT IN list holds a NULL (an unsaved expense's ID 0, sent as NULL):\n" +
				"id NOT IN (…, NULL) is never true, so it deletes nothing. Work out the removed ids in Go\n" +
				"(loaded, and not in the collection) and delete those with IN.\n"
		}
	}
	return ""
}

func TestRemovesAll(t *testing.T) {
	// LoadUser and one DELETE, then again for the DELETE the check refuses.
	checker.Run(t, checker.Check{Name: "removes-all", Data: data, Budget: 6, Writes: true}, func(c *checker.C) {
		u := load(c, userAroundOthers(c, 3), 3)
		// Another request adds an expense after the load: emptying the
		// collection removes what it held, not everything the user has
		// now, so a DELETE by user_id alone takes one row too many.
		added, moved := addCoffee(c, u), moveIn(c, u)
		others := expenseCounts(c, u.ID)
		before := c.Snapshot()
		u.Expenses = nil
		deleteOrphans(c, u)
		othersUntouched(c, u, others)
		keptArrivals(c, u, added, moved)
		if !c.ExpectChanges(before, checker.Changes{
			"expenses": {Removed: fmt.Sprintf("user_id = %d AND id NOT IN (%d, %d)", u.ID, added.id, moved.id)},
		}) {
			return
		}
		refusedDelete(c, u.ID)
	})
}

// refusedDelete makes the DELETE of DeleteOrphans fail in the database, as a
// full disk or a lock held too long would, and wants the error back.
func refusedDelete(c *checker.C, except int64) {
	var ids []int64
	c.Query(&ids, `SELECT user_id FROM expenses WHERE user_id != ? GROUP BY user_id HAVING count(*) >= 2 ORDER BY user_id LIMIT 1`, except)
	u := load(c, ids[0], 2)
	gone := u.Expenses[0]
	c.Exec(`CREATE TRIGGER check_refuses_delete BEFORE DELETE ON expenses
		BEGIN SELECT RAISE(ABORT, 'the check refuses this DELETE'); END`)
	before := c.Snapshot()
	remove(u, gone.ID)
	err := c.KeepsDatabaseError("DeleteOrphans(db, u)", func() error { return orphans.DeleteOrphans(c.DB(), u) })
	c.Exec(`DROP TRIGGER check_refuses_delete`)
	if err == nil {
		c.Errorf("DeleteOrphans(db, u) for %s returned no error, but nothing was deleted: the check made\n"+
			"the database refuse every DELETE (a trigger that raises an error), and %q (id %d), taken\n"+
			"out of the collection, is still in the table. A caller told nil believes the table agrees\n"+
			"with the collection: return the errors of sqlx.In and of Exec.", u.Name, gone.Description, gone.ID)
		return
	}
	c.ExpectChanges(before, checker.Changes{})
}

func TestIDReused(t *testing.T) {
	// Two rounds of LoadUser and one DELETE: the id the first deletes is
	// the one SQLite gives the next expense, which the second must delete.
	checker.Run(t, checker.Check{Name: "id-reused", Data: data, Budget: 6, Writes: true}, func(c *checker.C) {
		// The expense with the highest id: once its row is gone, SQLite
		// gives that id to the next row inserted (an INTEGER PRIMARY KEY
		// without AUTOINCREMENT takes the largest id in use, plus one).
		var last []struct {
			ID       int64 `db:"id"`
			User     int64 `db:"user_id"`
			Category int64 `db:"category_id"`
		}
		c.Query(&last, `SELECT id, user_id, category_id FROM expenses ORDER BY id DESC LIMIT 1`)
		if u := removeAndDelete(c, last[0].User, last[0].ID); stillThere(c, last[0].ID) {
			c.Fatalf("DeleteOrphans(db, u) for %s left expense %d in the table, which was taken out of the\n"+
				"collection. Delete the ids u.loaded holds and u.Expenses no longer does, on every call:\n"+
				"code that remembers which ids it deleted before (in an earlier call, on another copy of\n"+
				"the data) skips a row that has one of them now.", u.Name, last[0].ID)
		}
		// Another request adds an expense for the same user: SQLite hands
		// it the id just freed.
		c.Exec(`INSERT INTO expenses (user_id, category_id, description, amount_cents, expense_date)
			VALUES (?, ?, 'Refund slip', 120, '2026-03-01')`, last[0].User, last[0].Category)
		var reused []int64
		c.Query(&reused, `SELECT id FROM expenses WHERE description = 'Refund slip' AND user_id = ?`, last[0].User)
		if len(reused) != 1 || reused[0] != last[0].ID {
			c.Fatalf("checker: SQLite gave the new expense id %v, not the freed id %d", reused, last[0].ID)
		}
		before := c.Snapshot()
		if again := removeAndDelete(c, last[0].User, last[0].ID); stillThere(c, last[0].ID) {
			c.Errorf("DeleteOrphans(db, u) for %s left \"Refund slip\" (id %d) in the table, which was taken out\n"+
				"of the collection. Its id is the one the first call deleted: once that row was gone, SQLite\n"+
				"gave the id to the next expense inserted, as it does for an INTEGER PRIMARY KEY without\n"+
				"AUTOINCREMENT. Code that remembers between calls which ids it deleted skips the new row: an\n"+
				"id names a row only while the row exists. Work out the orphans from u.loaded and u.Expenses\n"+
				"alone, on every call.", again.Name, last[0].ID)
			return
		}
		c.ExpectChanges(before, checker.Changes{"expenses": {Removed: fmt.Sprintf("id = %d", last[0].ID)}})
	})
}

// removeAndDelete loads the user's collection, takes the expense out of it
// and calls DeleteOrphans, as the program would; it returns the user.
func removeAndDelete(c *checker.C, user, expense int64) *orphans.User {
	u := load(c, user, 1)
	remove(u, expense)
	deleteOrphans(c, u)
	return u
}

func TestNothingRemoved(t *testing.T) {
	// Two loads of two statements each, and nothing else: a collection
	// nobody changed has nothing to write.
	checker.Run(t, checker.Check{Name: "nothing-removed", Data: data, Budget: 4, Writes: true}, func(c *checker.C) {
		before := c.Snapshot()
		u := load(c, userWith(c, 3, false), 3)
		// The program sorts the collection its own way; nothing is gone
		// from it.
		slices.Reverse(u.Expenses)
		deleteOrphans(c, u)
		// Each call is compared by itself, so that what one call did is
		// never said of the next.
		c.ExpectChanges(before, checker.Changes{})
		before = c.Snapshot()
		none := load(c, userWithout(c), 0)
		deleteOrphans(c, none)
		c.ExpectChanges(before, checker.Changes{})
	})
}

func TestAddedSinceLoading(t *testing.T) {
	checker.Run(t, checker.Check{Name: "added-since-loading", Data: data, Budget: 3, Writes: true}, func(c *checker.C) {
		u := load(c, userWith(c, 3, false), 3)
		// Meanwhile other requests (the phone app, a second tab) add an
		// expense for the same user and give them an older one of another
		// user's. The collection never saw either.
		added, moved := addCoffee(c, u), moveIn(c, u)
		first := u.Expenses[0]
		before := c.Snapshot()
		remove(u, first.ID)
		// The program lists one of the expenses it keeps twice: the slice
		// is as long as what was loaded, and one loaded expense is gone
		// from it all the same.
		u.Expenses = append(u.Expenses, u.Expenses[0])
		n := len(c.Statements())
		deleteOrphans(c, u)
		keptArrivals(c, u, added, moved)
		if stillThere(c, first.ID) {
			if note := why(c.Statements()[n:]); strings.HasPrefix(note, "DeleteOrphans sent no DELETE") {
				c.Errorf("DeleteOrphans(db, u) for %s left %q (id %d) in the table, which was taken out of\n"+
					"the collection, and sent no DELETE: the collection is as long as what was loaded, since\n"+
					"it lists one expense twice, and counting does not tell what was removed. Compare ids: those\n"+
					"u.loaded holds and u.Expenses no longer does.", u.Name, first.Description, first.ID)
				return
			}
		}
		c.ExpectChanges(before, checker.Changes{
			"expenses": {Removed: fmt.Sprintf("id = %d", first.ID)},
		})
	})
}

// An arrival is an expense that became u's after LoadUser, behind the
// collection's back, as another request would make it: the collection
// never held it, so DeleteOrphans must leave it.
type arrival struct {
	id  int64
	how string // the expense and how it arrived, in words
}

// addCoffee adds an expense for u, as another request would after
// LoadUser: it gets the next id, above every id the collection loaded.
func addCoffee(c *checker.C, u *orphans.User) arrival {
	c.Exec(`INSERT INTO expenses (user_id, category_id, description, amount_cents, expense_date)
		VALUES (?, (SELECT min(id) FROM categories), 'Coffee', 350, '2026-03-01')`, u.ID)
	var added []int64
	c.Query(&added, `SELECT max(id) FROM expenses`)
	return arrival{added[0], fmt.Sprintf("\"Coffee\" (id %d), an expense added to the table", added[0])}
}

// moveIn gives u another user's expense, as a request that corrects who
// paid would after LoadUser: an older expense, whose id lies between the
// smallest and the largest the collection loaded where the data has one
// (else below the largest), so that only what was loaded tells it apart,
// not its id.
func moveIn(c *checker.C, u *orphans.User) arrival {
	lo, hi := u.Expenses[0].ID, u.Expenses[0].ID // the range the collection loaded
	for _, e := range u.Expenses {
		lo, hi = min(lo, e.ID), max(hi, e.ID)
	}
	var picks []struct {
		ID          int64  `db:"id"`
		Description string `db:"description"`
		Owner       string `db:"owner"`
	}
	c.Query(&picks, `SELECT e.id, e.description, o.name AS owner
		FROM expenses e JOIN users o ON o.id = e.user_id
		WHERE e.user_id <> ?
		ORDER BY e.id BETWEEN ? AND ? DESC, e.id < ? DESC, e.id DESC
		LIMIT 1`, u.ID, lo, hi, hi)
	p := picks[0]
	c.Exec(`UPDATE expenses SET user_id = ? WHERE id = ?`, u.ID, p.ID)
	return arrival{p.ID, fmt.Sprintf("%q (id %d), an expense moved to %s from %s", p.Description, p.ID, u.Name, p.Owner)}
}

// keptArrivals fails the check when DeleteOrphans deleted an expense that
// arrived after the load, which was never in u.Expenses.
func keptArrivals(c *checker.C, u *orphans.User, arrivals ...arrival) {
	var deleted []string
	for _, a := range arrivals {
		var left []int64
		c.Query(&left, `SELECT id FROM expenses WHERE id = ?`, a.id)
		if len(left) == 0 {
			deleted = append(deleted, a.how)
		}
	}
	if len(deleted) == 0 {
		return
	}
	them, never := "It was never in u.Expenses, so it was never", "it"
	if len(deleted) > 1 {
		them, never = "Neither was ever in u.Expenses, so neither was ever", "them"
	}
	c.Errorf("DeleteOrphans(db, u) for %s deleted %s,\n"+
		"after LoadUser read the collection, by another request. %s\n"+
		"taken out of %s. The collection is a picture of the table at load time: delete the expenses\n"+
		"that were loaded and are gone from it, not everything it does not hold, nor everything up to the\n"+
		"largest id it loaded, or between its smallest and largest.", u.Name, strings.Join(deleted, ", and "), them, never)
}
