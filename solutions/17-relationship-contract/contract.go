// Package relcontract is lesson 17 of the workbook: the relationship
// contract. Write the tests; the checks run them against a right tracker
// and against broken ones. Run it with: workbook run 17
package relcontract

import (
	"errors"
	"fmt"
)

// Contract is the seed's relationship test plan as tests: it must pass on
// every right Tracker and fail on each broken one. open gives a new tracker
// on a fresh database, so each test starts clean.
func Contract(t T, open Open) {
	t.Run("user-expenses", func(t T) {
		tr, sent := open()
		u, food, travel := setUp(t, tr, "plan@contract.test")
		lunch := add(t, tr, u, food, "Lunch", 1250)
		gas := add(t, tr, u, travel, "Gas", 4000)
		// Both sides of the relationship, at once, in memory.
		for _, e := range []*Expense{lunch, gas} {
			if e.User != u {
				t.Errorf("AddExpense gave %s a User other than u: want the same *User", e.Description)
			}
		}
		if got := ids(u.Expenses); fmt.Sprint(got) != fmt.Sprint([]int64{lunch.ID, gas.ID}) {
			t.Errorf("after two AddExpense, u.Expenses holds %v, want %v", got, []int64{lunch.ID, gas.ID})
		}
		// And read back from the database.
		before := sent()
		got, err := tr.LoadUser(u.Email)
		if err != nil {
			t.Fatalf("LoadUser(%q): %v", u.Email, err)
		}
		if n := sent() - before; n != 2 {
			t.Errorf("LoadUser sent %d statements for a user with 2 expenses, want 2", n)
		}
		if g := ids(got.Expenses); fmt.Sprint(g) != fmt.Sprint([]int64{lunch.ID, gas.ID}) {
			t.Fatalf("LoadUser(%q) gave expenses %v, want %v", u.Email, g, []int64{lunch.ID, gas.ID})
		}
		for _, e := range got.Expenses {
			if e.User != got {
				t.Errorf("expense %d's User is not the *User LoadUser returned (a copy?)", e.ID)
			}
		}
		if got.Expenses[0].Category.Name != food.Name || got.Expenses[1].Category.Name != travel.Name {
			t.Errorf("LoadUser gave categories %s and %s, want %s and %s",
				got.Expenses[0].Category.Name, got.Expenses[1].Category.Name, food.Name, travel.Name)
		}
	})

	t.Run("join-on-category", func(t T) {
		tr, _ := open()
		u, food, travel := setUp(t, tr, "join@contract.test")
		other, err := tr.CreateUser("other@contract.test", "Other")
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		a := add(t, tr, u, food, "Lunch", 1250)
		add(t, tr, u, travel, "Gas", 4000)
		o := add(t, tr, other, food, "Snack", 300)
		b := add(t, tr, u, food, "Dinner", 3000)
		got, err := tr.InCategory(food.Name)
		if err != nil {
			t.Fatalf("InCategory(%q): %v", food.Name, err)
		}
		want := []int64{a.ID, o.ID, b.ID}
		if g := ids(got); fmt.Sprint(g) != fmt.Sprint(want) {
			t.Fatalf("InCategory(%q) gave %v, want %v", food.Name, g, want)
		}
		owners := []string{u.Email, other.Email, u.Email}
		for i, e := range got {
			if e.Category.Name != food.Name || e.User.Email != owners[i] {
				t.Errorf("InCategory(%q) gave expense %d of %s in %s, want %s's in %s",
					food.Name, e.ID, e.User.Email, e.Category.Name, owners[i], food.Name)
			}
		}
	})

	t.Run("remove-from-collection", func(t T) {
		tr, _ := open()
		u, food, travel := setUp(t, tr, "remove@contract.test")
		lunch := add(t, tr, u, food, "Lunch", 1250)
		gas := add(t, tr, u, travel, "Gas", 4000)
		// Remove from a collection as the database gives it.
		loaded, err := tr.LoadUser(u.Email)
		if err != nil {
			t.Fatalf("LoadUser(%q): %v", u.Email, err)
		}
		var removed *Expense
		for _, e := range loaded.Expenses {
			if e.ID == lunch.ID {
				removed = e
			}
		}
		if removed == nil {
			t.Fatalf("LoadUser(%q) did not give expense %d", u.Email, lunch.ID)
		}
		if err := tr.RemoveExpense(loaded, removed); err != nil {
			t.Fatalf("RemoveExpense: %v", err)
		}
		if g := ids(loaded.Expenses); fmt.Sprint(g) != fmt.Sprint([]int64{gas.ID}) {
			t.Errorf("after RemoveExpense, u.Expenses holds %v, want %v", g, []int64{gas.ID})
		}
		again, err := tr.LoadUser(u.Email)
		if err != nil {
			t.Fatalf("LoadUser(%q): %v", u.Email, err)
		}
		if g := ids(again.Expenses); fmt.Sprint(g) != fmt.Sprint([]int64{gas.ID}) {
			t.Errorf("after RemoveExpense, LoadUser gives %v, want %v: the removed one is an orphan", g, []int64{gas.ID})
		}
	})

	t.Run("delete-user", func(t T) {
		tr, _ := open()
		u, food, _ := setUp(t, tr, "gone@contract.test")
		add(t, tr, u, food, "Lunch", 1250)
		other, err := tr.CreateUser("stays@contract.test", "Stays")
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		kept := add(t, tr, other, food, "Snack", 300)
		if err := tr.DeleteUser(u); err != nil {
			t.Fatalf("DeleteUser: %v", err)
		}
		if _, err := tr.LoadUser(u.Email); !errors.Is(err, ErrNotFound) {
			t.Errorf("LoadUser of a deleted user gave error %v, want ErrNotFound", err)
		}
		got, err := tr.InCategory(food.Name)
		if err != nil {
			t.Fatalf("InCategory(%q) after DeleteUser: %v", food.Name, err)
		}
		if g := ids(got); fmt.Sprint(g) != fmt.Sprint([]int64{kept.ID}) {
			t.Errorf("after DeleteUser, %s holds %v, want only the other user's %v", food.Name, g, []int64{kept.ID})
		}
	})
}

// setUp creates a user and two categories of names no data set holds.
func setUp(t T, tr Tracker, email string) (*User, *Category, *Category) {
	t.Helper()
	u, err := tr.CreateUser(email, "Plan")
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", email, err)
	}
	food, err := tr.CreateCategory("Contract food " + email)
	if err != nil {
		t.Fatalf("CreateCategory: %v", err)
	}
	travel, err := tr.CreateCategory("Contract travel " + email)
	if err != nil {
		t.Fatalf("CreateCategory: %v", err)
	}
	return u, food, travel
}

// add adds an expense and stops the test if the tracker refuses it.
func add(t T, tr Tracker, u *User, c *Category, what string, cents int64) *Expense {
	t.Helper()
	e, err := tr.AddExpense(u, c, what, cents, "2026-03-01")
	if err != nil {
		t.Fatalf("AddExpense(%s): %v", what, err)
	}
	return e
}

// ids returns the expenses' ids, in their order.
func ids(es []*Expense) []int64 {
	out := make([]int64, 0, len(es))
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
