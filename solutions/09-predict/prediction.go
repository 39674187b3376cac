// Package predict is the reference solution of lesson 9.
package predict

// Prediction is what you expect one call of CategoryTotals to do on the
// lesson's data (data/budget/seed.sql).
type Prediction struct {
	// Totals is the map you expect it to return: each category's name, and
	// what was spent in it in cents ("Food": 1234 for $12.34).
	Totals map[string]int64
	// Statements is how many SQL statements you expect the call to run.
	Statements int
}

// Bob is the prediction for CategoryTotals(db, "bob@example.com"). Bob has
// Lunch 2500 and Dinner 3000 in Food (id 1), Concert 5000 in Entertainment
// (id 2). Statements: his user row (1), his expenses, loaded when the loop
// first asks for them (2), Food for Lunch (3), Food again for Dinner, which
// the session already holds (no statement), Entertainment for Concert (4).
var Bob = Prediction{
	Totals:     map[string]int64{"Food": 5500, "Entertainment": 5000},
	Statements: 4,
}

// Dave is the prediction for CategoryTotals(db, "dave@example.com"). The
// user row (1), then his expenses (2): finding that there are none takes a
// statement too. No expense, so no category is loaded and the totals are
// empty; there is no error.
var Dave = Prediction{
	Totals:     map[string]int64{},
	Statements: 2,
}
