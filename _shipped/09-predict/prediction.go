// Package predict is lesson 9 of the workbook: predict before you run.
//
// This is your file. Read CategoryTotals in given.go, write down below what
// you expect it to do on the lesson's data, and only then run
//
//	go run ./cmd/workbook run 9
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

// Bob is your prediction for CategoryTotals(db, "bob@example.com").
//
// TODO: fill it in before you run the checks.
var Bob = Prediction{
	Totals:     map[string]int64{},
	Statements: 0,
}

// Dave is your prediction for CategoryTotals(db, "dave@example.com"). Dave
// has not spent anything.
//
// TODO: fill it in before you run the checks.
var Dave = Prediction{
	Totals:     map[string]int64{},
	Statements: 0,
}
