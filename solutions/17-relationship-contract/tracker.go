package relcontract

// This file is the lesson's, not yours: the interface your contract tests,
// and the reference tracker it must pass on. Write your tests in
// contract.go.

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
)

// T is the part of a *testing.T a contract uses. The checks hand Contract
// one of their own, so that they can run it many times, against many
// trackers.
type T interface {
	// Helper marks the calling function as a helper: a failure it reports
	// is blamed on the line that called it.
	Helper()
	// Errorf reports a failure and lets the test go on.
	Errorf(format string, args ...any)
	// Fatalf reports a failure and ends the test (the contract goes on
	// with the next one).
	Fatalf(format string, args ...any)
	// Run runs f as a subtest called name and reports whether it passed.
	Run(name string, f func(t T)) bool
}

// Statements returns how many SQL statements a tracker has sent to its
// database since open returned it.
type Statements func() int

// Open returns a new tracker on a fresh copy of the budget database, which
// already holds other users, categories and expenses (not the same ones on
// every data set), and a count of the statements the tracker sends.
type Open func() (Tracker, Statements)

// ErrNotFound is wrapped by the error LoadUser returns for an email that no
// user has.
var ErrNotFound = errors.New("not found")

// User is a user with their expenses: the collection, User.expenses in
// SQLAlchemy.
type User struct {
	ID       int64
	Email    string
	Name     string
	Expenses []*Expense
}

// Category is one category of expenses. Categories are shared: many users'
// expenses are in each.
type Category struct {
	ID   int64
	Name string
}

// Expense is one expense, in cents (1875 is $18.75), with both ends of its
// relationships: User, the back-reference to its owner, and Category.
type Expense struct {
	ID          int64
	Description string
	AmountCents int64
	Date        string // YYYY-MM-DD
	User        *User
	Category    *Category
}

// Tracker is the budget tracker's relationships. Every right tracker keeps
// each promise written here; the contract you write checks them.
type Tracker interface {
	// CreateUser adds a user with no expenses. Emails are unique.
	CreateUser(email, name string) (*User, error)
	// CreateCategory adds a category. Names are unique.
	CreateCategory(name string) (*Category, error)
	// AddExpense adds an expense of u's in category c and returns it. Both
	// sides of the relationship are kept: the expense's User is u itself
	// (the same pointer) and u.Expenses holds it, last.
	AddExpense(u *User, c *Category, description string, amountCents int64, date string) (*Expense, error)
	// LoadUser loads the user with exactly this email and all their
	// expenses, in the order they were added, each with its Category, and
	// each expense's User the very *User returned. It sends two
	// statements, however many expenses the user has. For an email no
	// user has, the error wraps ErrNotFound.
	LoadUser(email string) (*User, error)
	// InCategory returns every expense, of any user, whose category has
	// exactly this name, in the order they were added, each with its User
	// (without that user's Expenses) and Category, in one statement.
	InCategory(name string) ([]*Expense, error)
	// RemoveExpense takes e out of u.Expenses and deletes its row, as
	// cascade="all, delete-orphan" does: an expense without its user
	// means nothing. No other row changes.
	RemoveExpense(u *User, e *Expense) error
	// DeleteUser deletes u and u's expenses. Categories are shared and
	// stay, and so does every other user's expense in them.
	DeleteUser(u *User) error
}

// NewReference returns the reference tracker on db: right in every promise.
func NewReference(db *sqlx.DB) Tracker { return &reference{db: db} }

type reference struct{ db *sqlx.DB }

func (r *reference) CreateUser(email, name string) (*User, error) {
	res, err := r.db.Exec(`INSERT INTO users (email, name) VALUES (?, ?)`, email, name)
	if err != nil {
		return nil, fmt.Errorf("creating user %s: %w", email, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("creating user %s: %w", email, err)
	}
	return &User{ID: id, Email: email, Name: name}, nil
}

func (r *reference) CreateCategory(name string) (*Category, error) {
	res, err := r.db.Exec(`INSERT INTO categories (name) VALUES (?)`, name)
	if err != nil {
		return nil, fmt.Errorf("creating category %s: %w", name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("creating category %s: %w", name, err)
	}
	return &Category{ID: id, Name: name}, nil
}

func (r *reference) AddExpense(u *User, c *Category, description string, amountCents int64, date string) (*Expense, error) {
	res, err := r.db.Exec(`INSERT INTO expenses (user_id, category_id, description, amount_cents, expense_date)
		VALUES (?, ?, ?, ?, ?)`, u.ID, c.ID, description, amountCents, date)
	if err != nil {
		return nil, fmt.Errorf("adding %s for %s: %w", description, u.Email, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("adding %s for %s: %w", description, u.Email, err)
	}
	e := &Expense{ID: id, Description: description, AmountCents: amountCents, Date: date, User: u, Category: c}
	u.Expenses = append(u.Expenses, e)
	return e, nil
}

// Row is one expense as the reference reads it, with its category and
// owner's columns.
type Row struct {
	ID           int64  `db:"id"`
	Description  string `db:"description"`
	AmountCents  int64  `db:"amount_cents"`
	Date         string `db:"expense_date"`
	CategoryID   int64  `db:"category_id"`
	CategoryName string `db:"category_name"`
	UserID       int64  `db:"user_id"`
	UserEmail    string `db:"user_email"`
	UserName     string `db:"user_name"`
}

// Expense returns the row as an expense of u in a category of its own.
func (w Row) Expense(u *User) *Expense {
	return &Expense{ID: w.ID, Description: w.Description, AmountCents: w.AmountCents, Date: w.Date,
		User: u, Category: &Category{ID: w.CategoryID, Name: w.CategoryName}}
}

// ExpenseColumns is the select list of a Row, over expenses e, categories c
// and users u.
const ExpenseColumns = `e.id, e.description, e.amount_cents, e.expense_date,
	c.id AS category_id, c.name AS category_name, u.id AS user_id, u.email AS user_email, u.name AS user_name`

func (r *reference) LoadUser(email string) (*User, error) {
	u := new(User)
	err := r.db.QueryRowx(`SELECT id, email, name FROM users WHERE email = ?`, email).Scan(&u.ID, &u.Email, &u.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("loading user %s: %w", email, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("loading user %s: %w", email, err)
	}
	var rows []Row
	err = r.db.Select(&rows, `SELECT `+ExpenseColumns+`
		FROM expenses e JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id
		WHERE e.user_id = ? ORDER BY e.id`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("loading the expenses of %s: %w", email, err)
	}
	for _, w := range rows {
		u.Expenses = append(u.Expenses, w.Expense(u))
	}
	return u, nil
}

func (r *reference) InCategory(name string) ([]*Expense, error) {
	var rows []Row
	err := r.db.Select(&rows, `SELECT `+ExpenseColumns+`
		FROM expenses e JOIN categories c ON c.id = e.category_id JOIN users u ON u.id = e.user_id
		WHERE c.name = ? ORDER BY e.id`, name)
	if err != nil {
		return nil, fmt.Errorf("the expenses in %s: %w", name, err)
	}
	out := make([]*Expense, 0, len(rows))
	for _, w := range rows {
		out = append(out, w.Expense(&User{ID: w.UserID, Email: w.UserEmail, Name: w.UserName}))
	}
	return out, nil
}

func (r *reference) RemoveExpense(u *User, e *Expense) error {
	i := slices.Index(u.Expenses, e)
	if i < 0 {
		return fmt.Errorf("expense %d is not in the collection of %s", e.ID, u.Email)
	}
	if _, err := r.db.Exec(`DELETE FROM expenses WHERE id = ? AND user_id = ?`, e.ID, u.ID); err != nil {
		return fmt.Errorf("deleting expense %d: %w", e.ID, err)
	}
	u.Expenses = slices.Delete(u.Expenses, i, i+1)
	return nil
}

func (r *reference) DeleteUser(u *User) error {
	tx, err := r.db.Beginx()
	if err != nil {
		return fmt.Errorf("deleting %s: %w", u.Email, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`DELETE FROM expenses WHERE user_id = ?`, u.ID); err != nil {
		return fmt.Errorf("deleting the expenses of %s: %w", u.Email, err)
	}
	if _, err := tx.Exec(`DELETE FROM users WHERE id = ?`, u.ID); err != nil {
		return fmt.Errorf("deleting %s: %w", u.Email, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("deleting %s: %w", u.Email, err)
	}
	u.Expenses = nil
	return nil
}
