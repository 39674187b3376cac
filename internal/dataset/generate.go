package dataset

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
)

// The budget data at scale: the same schema as data/budget, with users 1 and
// 2 being Alice and Bob with the expenses the lessons quote, and the rest
// generated. Each user's expenses come from a random source seeded with the
// user's id alone, so user 42 is the same person with the same spending at
// every size; ids of expenses follow their dates, as if recorded over time.

var generatedCategories = []struct {
	id    int
	name  string
	color string
	items []string
	min   int // cents
	max   int
}{
	{1, "Food", "#FF6B6B", []string{"Groceries", "Lunch", "Dinner", "Coffee", "Bakery", "Market"}, 250, 9500},
	{2, "Entertainment", "#4ECDC4", []string{"Concert", "Movie", "Streaming", "Museum", "Board game"}, 800, 12000},
	{3, "Transportation", "#45B7D1", []string{"Gas", "Bus pass", "Train ticket", "Taxi", "Parking"}, 275, 8000},
	{4, "Utilities", "#96CEB4", []string{"Electricity", "Water bill", "Internet", "Phone"}, 2500, 15000},
	{5, "Health", "#FFEAA7", []string{"Pharmacy", "Gym", "Dentist"}, 900, 20000},
	{6, "Fast Food", "#F39C12", []string{"Burger", "Pizza slice", "Fries", "Burrito"}, 350, 1800},
}

var firstNames = strings.Fields(`Maya Noah Leila Arjun Sofia Mateo Hana Kwame Zoe Ivan Amara Lucas
	Yara Felix Mina Diego Elif Samuel Aiko Hugo Nia Oskar Chloe Ravi Ines Tariq Mei Jonas Ayla Pablo
	Freya Kenji Lucia Emeka Sara Viktor Amina Leo Rosa Dmitri Nadia Theo Priya Malik Ingrid Rafael Zainab Ole`)

var lastNames = strings.Fields(`Lindqvist Okafor Tanaka Moreau Silva Novak Haddad Kowalski Nakamura
	Fischer Mensah Rossi Petrov Jensen Alvarez Kim Dubois Singh Costa Larsen Nguyen Schmidt Ibrahim
	Horvat Sato Oliveira Brennan Varga Abebe Lund Castillo Weber Chen Murphy Popescu Eriksen Yilmaz
	Duarte Bauer Osei Kovac Tran Moretti Hansen Rahman Quinn Aziz Berg`)

// namesake is the generated user who has the name of the user before, at
// every size.
const namesake = 4

// roundID reports whether id is a power of ten (10, 100, 1,000, …): the
// last user of every shipped size, who always spends. Code that cuts its
// list of users or ids one short of a round number (the 999 of an old
// SQLite limit, a batch of 99) then leaves out a user with expenses, and its
// report comes out wrong at that size. The rule depends on the id alone, so
// user 1,000 is the same person at every size.
func roundID(id int) bool {
	for id >= 10 && id%10 == 0 {
		id /= 10
	}
	return id == 1
}

// generatedName returns the name the generator draws for user id (3 or
// more), first from the user's own random source.
func generatedName(id int) (first, last string) {
	return drawName(userSource(id))
}

// userSource returns the random source of user id's name and expenses.
func userSource(id int) *rand.Rand { return rand.New(rand.NewPCG(uint64(id), 0x5eed)) }

func drawName(r *rand.Rand) (first, last string) {
	return firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
}

type genExpense struct {
	user, category int
	description    string
	cents          int
	date           string
	order          int // the expense's number within its user, to break ties
}

func generateBudget(tx *sql.Tx, users int) error {
	if users < 2 {
		return fmt.Errorf("a generated budget set needs at least 2 users, not %d", users)
	}
	for _, c := range generatedCategories {
		if _, err := tx.Exec(`INSERT INTO categories (id, name, color) VALUES (?, ?, ?)`, c.id, c.name, c.color); err != nil {
			return err
		}
	}
	insUser, err := tx.Prepare(`INSERT INTO users (id, email, name) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insUser.Close()

	expenses := []genExpense{
		{1, 1, "Groceries", 5250, "2026-01-03", 0},
		{1, 1, "Lunch", 1875, "2026-01-05", 1},
		{1, 3, "Gas", 4500, "2026-01-06", 2},
		{2, 1, "Lunch", 2500, "2026-01-04", 0},
		{2, 1, "Dinner", 3000, "2026-01-04", 1},
		{2, 2, "Concert", 5000, "2026-01-09", 2},
	}
	if _, err := insUser.Exec(1, "alice@example.com", "Alice"); err != nil {
		return err
	}
	if _, err := insUser.Exec(2, "bob@example.com", "Bob"); err != nil {
		return err
	}
	for id := 3; id <= users; id++ {
		r := userSource(id)
		first, last := drawName(r)
		if id == namesake {
			// Another person with the name of the user before: a report
			// that groups users by name, or starts a new user when the
			// name changes, merges the two. The id is the key.
			first, last = generatedName(id - 1)
		}
		email := fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), id)
		if _, err := insUser.Exec(id, email, first+" "+last); err != nil {
			return err
		}
		// About one user in eight has spent nothing yet.
		n := 0
		if r.IntN(8) != 0 || roundID(id) {
			n = 1 + r.IntN(6)
		}
		for i := 0; i < n; i++ {
			c := generatedCategories[r.IntN(len(generatedCategories))]
			expenses = append(expenses, genExpense{
				user:        id,
				category:    c.id,
				description: c.items[r.IntN(len(c.items))],
				cents:       c.min + r.IntN(c.max-c.min+1),
				date:        fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(3), 1+r.IntN(28)),
				order:       i,
			})
		}
	}
	sort.SliceStable(expenses, func(i, j int) bool {
		a, b := expenses[i], expenses[j]
		if a.date != b.date {
			return a.date < b.date
		}
		if a.user != b.user {
			return a.user < b.user
		}
		return a.order < b.order
	})
	insExp, err := tx.Prepare(`INSERT INTO expenses (id, user_id, category_id, description, amount_cents, expense_date)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insExp.Close()
	for i, e := range expenses {
		if _, err := insExp.Exec(i+1, e.user, e.category, e.description, e.cents, e.date); err != nil {
			return err
		}
	}
	return nil
}

// Regenerate replaces every row of the budget database db with the
// generated budget data of the given number of users, exactly as [Build]
// makes a generated set (budget-1000, budget-10000) from the same schema:
// user 42 is the same person with the same spending. db must hold the
// budget schema; its rows are deleted first, so a copy of any shipped
// budget set will do. It is how the checker makes, at check time, a set too
// large to ship (lesson 15 times its report on 50,000 users); the database
// is vacuumed afterwards, as a shipped set is.
func Regenerate(db *sql.DB, users int) (err error) {
	tx, err := db.Begin()
	if err != nil {
		return fmt.Errorf("dataset: regenerate %d users: %w", users, err)
	}
	defer tx.Rollback()
	for _, table := range []string{"expenses", "users", "categories"} {
		if _, err := tx.Exec("DELETE FROM " + table); err != nil {
			return fmt.Errorf("dataset: regenerate %d users: emptying %s: %w", users, table, err)
		}
	}
	if err := generateBudget(tx, users); err != nil {
		return fmt.Errorf("dataset: regenerate %d users: %w", users, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("dataset: regenerate %d users: %w", users, err)
	}
	if _, err := db.Exec("VACUUM"); err != nil {
		return fmt.Errorf("dataset: regenerate %d users: %w", users, err)
	}
	return nil
}
