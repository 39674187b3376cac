// Package relcontract is lesson 17 of the workbook: the relationship
// contract. Write the tests; the checks run them against a right tracker
// and against broken ones. Run it with: workbook run 17
package relcontract

// Contract is the seed's relationship test plan as tests: it must pass on
// every right Tracker (tracker.go) and fail on each broken one. open gives a
// new tracker on a fresh database, so each test starts clean.
func Contract(t T, open Open) {
	t.Run("user-expenses", func(t T) {
		tr, sent := open()
		_, _ = tr, sent
		// Create a user and two categories, add an expense in each, and
		// check with t.Errorf what the Tracker promises of them.
	})
}
