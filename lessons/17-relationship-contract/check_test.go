package relcontract_test

import (
	"fmt"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/checker"
	rc "workbook/lessons/17-relationship-contract"
)

// The contract runs on the lesson's data and on the hidden variant, whose
// ids (up to 100007) and names are others: a test that assumes an id, or
// a name the data already holds, fails on the reference there.
var data = []string{"budget", "budget-variant"}

// probe adapts the checker's Probe to the lesson's T.
type probe struct{ p *checker.Probe }

func (t probe) Helper()                           { t.p.Helper() }
func (t probe) Errorf(format string, args ...any) { t.p.Errorf(format, args...) }
func (t probe) Fatalf(format string, args ...any) { t.p.Fatalf(format, args...) }
func (t probe) Run(name string, f func(rc.T)) bool {
	return t.p.Run(name, func(p *checker.Probe) { f(probe{p}) })
}

// contract is the learner's Contract, run against the trackers given.
func contract(broken []checker.Impl[rc.Tracker]) checker.Contract[rc.Tracker] {
	return checker.Contract[rc.Tracker]{
		Run: func(p *checker.Probe, open func() (rc.Tracker, func() int)) {
			rc.Contract(probe{p}, func() (rc.Tracker, rc.Statements) {
				tr, sent := open()
				return tr, sent
			})
		},
		Call:      "Contract(t, open)",
		Reference: checker.Impl[rc.Tracker]{Name: "reference", New: wrap(func(*base) {})},
		Broken:    broken,
		Noun:      "tracker",
	}
}

func TestChecks(t *testing.T) {
	checker.Run(t, checker.Check{Name: "passes-reference", Data: data}, func(c *checker.C) {
		checker.ExpectContract(c, contract(nil))
	})
	checker.Run(t, checker.Check{Name: "catches-broken", Data: data}, func(c *checker.C) {
		checker.ExpectContract(c, contract(brokenTrackers))
	})
}

// brokenTrackers are the wrong trackers a contract must catch, each a
// mistake a real implementation makes. Each wraps the reference and
// replaces one method.
var brokenTrackers = []checker.Impl[rc.Tracker]{
	{
		Name:   "copy-back-reference",
		Broken: "LoadUser gives each expense a copy of the user as its User, equal in every field but not the *User it returns.",
		Catch:  "check that every expense of a loaded user has e.User == u, the very pointer LoadUser returned (== on pointers, not on fields).",
		New:    wrap(func(b *base) { b.load = b.loadCopy }),
	},
	{
		Name:   "join-without-filter",
		Broken: "InCategory joins expenses to categories and forgets WHERE c.name = ?: it gives every expense.",
		Catch:  "call InCategory with one of your categories and check it gives exactly the expenses you added to it (their ids), and no other.",
		New:    wrap(func(b *base) { b.inCategory = b.inCategoryUnfiltered }),
	},
	{
		Name:   "orphan-left",
		Broken: "RemoveExpense takes the expense out of u.Expenses but never deletes its row: an orphan stays behind.",
		Catch:  "after RemoveExpense, load the user again with LoadUser and check the removed expense is gone from what the database gives.",
		New:    wrap(func(b *base) { b.remove = b.removeInMemory }),
	},
	{
		Name:   "cascade-into-categories",
		Broken: "DeleteUser also deletes the categories of the user's expenses, and every other user's expense in them.",
		Catch:  "give two users an expense in one category, delete one user, and check the other's expense is still there (InCategory or LoadUser).",
		New:    wrap(func(b *base) { b.deleteUser = b.deleteWithCategories }),
	},
	{
		Name:   "count-off-by-one",
		Broken: "LoadUser gives every expense of the user but the last.",
		Catch:  "check that LoadUser gives as many expenses as you added (all their ids), not only that it gives some.",
		New:    wrap(func(b *base) { b.load = b.loadAllButLast }),
	},
	{
		Name:   "query-per-expense",
		Broken: "LoadUser reads each expense's category with a statement of its own: 2 + N statements where 2 were promised.",
		Catch:  "count the statements LoadUser sends (the Statements func open returns, before and after) for a user with two or more expenses: it must be 2.",
		New:    wrap(func(b *base) { b.load = b.loadPerRow }),
	},
	{
		Name:   "add-one-side",
		Broken: "AddExpense inserts the row and gives the expense its User, but does not append it to u.Expenses: only one side of the relationship is kept.",
		Catch:  "after AddExpense, check u.Expenses holds the new expense, before you load anything.",
		New:    wrap(func(b *base) { b.add = b.addOneSide }),
	},
	{
		Name:   "add-copies-owner",
		Broken: "AddExpense keeps both sides, but the expense it returns has a new *User, equal to u, as its User.",
		Catch:  "check that the expense AddExpense returns has e.User == u, the pointer you passed in.",
		New:    wrap(func(b *base) { b.add = b.addCopiesOwner }),
	},
	{
		Name:   "shared-category",
		Broken: "LoadUser scans every category into one variable and keeps its address: all the user's expenses show the last one's category.",
		Catch:  "add expenses in two categories and check each loaded expense's Category.Name is the one you added it in.",
		New:    wrap(func(b *base) { b.load = b.loadSharedCategory }),
	},
	{
		Name:   "remove-row-only",
		Broken: "RemoveExpense deletes the row but leaves the expense in u.Expenses: the collection and the table disagree.",
		Catch:  "after RemoveExpense, check u.Expenses no longer holds the expense.",
		New:    wrap(func(b *base) { b.remove = b.removeRowOnly }),
	},
	{
		Name:   "delete-keeps-user",
		Broken: "DeleteUser deletes the user's expenses and forgets the user's own row.",
		Catch:  "after DeleteUser, check LoadUser of that email fails with an error that errors.Is finds ErrNotFound in.",
		New:    wrap(func(b *base) { b.deleteUser = b.deleteExpensesOnly }),
	},
	{
		Name:   "join-wrong-owner",
		Broken: "InCategory gives the right expenses, each with the first user who spent in the category as its User.",
		Catch:  "give two users expenses in one category and check each expense InCategory gives has its own owner's email.",
		New:    wrap(func(b *base) { b.inCategory = b.inCategoryFirstOwner }),
	},
}

// base is the reference with each method replaceable. The reference
// itself is a base with nothing replaced, so that every tracker a contract
// is given has the same type (%T) and prints the same (Format): only what
// it does tells one from another.
type base struct {
	rc.Tracker
	db         *sqlx.DB
	load       func(string) (*rc.User, error)
	inCategory func(string) ([]*rc.Expense, error)
	add        func(*rc.User, *rc.Category, string, int64, string) (*rc.Expense, error)
	remove     func(*rc.User, *rc.Expense) error
	deleteUser func(*rc.User) error
}

// wrap returns a constructor of the reference with the changes break makes.
func wrap(breaks func(*base)) func(db *sqlx.DB) rc.Tracker {
	return func(db *sqlx.DB) rc.Tracker {
		ref := rc.NewReference(db)
		b := &base{Tracker: ref, db: db, load: ref.LoadUser, inCategory: ref.InCategory,
			add: ref.AddExpense, remove: ref.RemoveExpense, deleteUser: ref.DeleteUser}
		breaks(b)
		return b
	}
}

// Format prints every tracker alike, whatever its fields hold.
func (b *base) Format(f fmt.State, verb rune) { fmt.Fprint(f, "tracker") }

func (b *base) LoadUser(email string) (*rc.User, error)       { return b.load(email) }
func (b *base) InCategory(name string) ([]*rc.Expense, error) { return b.inCategory(name) }
func (b *base) RemoveExpense(u *rc.User, e *rc.Expense) error { return b.remove(u, e) }
func (b *base) DeleteUser(u *rc.User) error                   { return b.deleteUser(u) }
func (b *base) AddExpense(u *rc.User, c *rc.Category, d string, a int64, date string) (*rc.Expense, error) {
	return b.add(u, c, d, a, date)
}

func (b *base) loadCopy(email string) (*rc.User, error) {
	u, err := b.Tracker.LoadUser(email)
	if err != nil {
		return nil, err
	}
	for _, e := range u.Expenses {
		cp := *u
		e.User = &cp
	}
	return u, nil
}

func (b *base) loadSharedCategory(email string) (*rc.User, error) {
	u, err := b.Tracker.LoadUser(email)
	if err != nil || len(u.Expenses) == 0 {
		return u, err
	}
	last := u.Expenses[len(u.Expenses)-1].Category
	for _, e := range u.Expenses {
		e.Category = last
	}
	return u, nil
}

func (b *base) addCopiesOwner(u *rc.User, c *rc.Category, d string, a int64, date string) (*rc.Expense, error) {
	e, err := b.Tracker.AddExpense(u, c, d, a, date)
	if err != nil {
		return nil, err
	}
	cp := *u
	cp.Expenses = nil
	e.User = &cp
	return e, nil
}

func (b *base) loadAllButLast(email string) (*rc.User, error) {
	u, err := b.Tracker.LoadUser(email)
	if err != nil {
		return nil, err
	}
	if n := len(u.Expenses); n > 0 {
		u.Expenses = u.Expenses[:n-1]
	}
	return u, nil
}

func (b *base) loadPerRow(email string) (*rc.User, error) {
	u := new(rc.User)
	if err := b.db.QueryRowx(`SELECT id, email, name FROM users WHERE email = ?`, email).Scan(&u.ID, &u.Email, &u.Name); err != nil {
		return b.Tracker.LoadUser(email) // the reference's error
	}
	var rows []struct {
		ID          int64  `db:"id"`
		Description string `db:"description"`
		AmountCents int64  `db:"amount_cents"`
		Date        string `db:"expense_date"`
		CategoryID  int64  `db:"category_id"`
	}
	if err := b.db.Select(&rows, `SELECT id, description, amount_cents, expense_date, category_id
		FROM expenses WHERE user_id = ? ORDER BY id`, u.ID); err != nil {
		return nil, err
	}
	for _, r := range rows {
		c := &rc.Category{}
		if err := b.db.QueryRowx(`SELECT id, name FROM categories WHERE id = ?`, r.CategoryID).Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		u.Expenses = append(u.Expenses, &rc.Expense{ID: r.ID, Description: r.Description, AmountCents: r.AmountCents,
			Date: r.Date, User: u, Category: c})
	}
	return u, nil
}

func (b *base) inCategoryUnfiltered(string) ([]*rc.Expense, error) {
	var rows []rc.Row
	if err := b.db.Select(&rows, `SELECT `+rc.ExpenseColumns+`
		FROM expenses e JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id
		ORDER BY e.id`); err != nil {
		return nil, err
	}
	var out []*rc.Expense
	for _, w := range rows {
		out = append(out, w.Expense(&rc.User{ID: w.UserID, Email: w.UserEmail, Name: w.UserName}))
	}
	return out, nil
}

func (b *base) inCategoryFirstOwner(name string) ([]*rc.Expense, error) {
	es, err := b.Tracker.InCategory(name)
	if err != nil || len(es) == 0 {
		return es, err
	}
	first := es[0].User
	for _, e := range es {
		e.User = &rc.User{ID: first.ID, Email: first.Email, Name: first.Name}
	}
	return es, nil
}

func (b *base) addOneSide(u *rc.User, c *rc.Category, d string, a int64, date string) (*rc.Expense, error) {
	n := len(u.Expenses)
	e, err := b.Tracker.AddExpense(u, c, d, a, date)
	if err != nil {
		return nil, err
	}
	u.Expenses = u.Expenses[:n]
	return e, nil
}

func (b *base) removeInMemory(u *rc.User, e *rc.Expense) error {
	for i, x := range u.Expenses {
		if x == e {
			u.Expenses = append(u.Expenses[:i:i], u.Expenses[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("expense %d is not in the collection of %s", e.ID, u.Email)
}

func (b *base) removeRowOnly(u *rc.User, e *rc.Expense) error {
	_, err := b.db.Exec(`DELETE FROM expenses WHERE id = ? AND user_id = ?`, e.ID, u.ID)
	return err
}

func (b *base) deleteWithCategories(u *rc.User) error {
	var cats []int64
	if err := b.db.Select(&cats, `SELECT DISTINCT category_id FROM expenses WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	for _, id := range cats {
		if _, err := b.db.Exec(`DELETE FROM expenses WHERE category_id = ?`, id); err != nil {
			return err
		}
		if _, err := b.db.Exec(`DELETE FROM categories WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return b.Tracker.DeleteUser(u)
}

func (b *base) deleteExpensesOnly(u *rc.User) error {
	_, err := b.db.Exec(`DELETE FROM expenses WHERE user_id = ?`, u.ID)
	u.Expenses = nil
	return err
}
