package predict_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"workbook/checker"
	"workbook/checker/stmtlog"
	predict "workbook/lessons/09-predict"
)

// subject names, for each data set, the user a prediction is about: an
// email, or a query of the check's that selects it. The lesson's data is
// where the learner predicts; on the variant, a user whose spending has the
// same shape (expenses in two categories, or none) must take the same
// number of statements.
type subject map[string]string

var (
	bobLike  = subject{"budget": "bob@example.com", "budget-variant": "omar@example.net"}
	daveLike = subject{"budget": "dave@example.com", "budget-variant": `SELECT u.email FROM users u
		WHERE NOT EXISTS (SELECT 1 FROM expenses WHERE user_id = u.id) ORDER BY u.id LIMIT 1`}
)

// email returns the subject's email on the check's data set.
func (who subject) email(c *checker.C) string {
	e := who[c.Data()]
	if !strings.HasPrefix(e, "SELECT") {
		return e
	}
	var emails []string
	c.Query(&emails, e)
	if len(emails) == 0 {
		c.Fatalf("checker: %s has no user for %s", c.Data(), e)
	}
	return emails[0]
}

// predictionCheck runs CategoryTotals for the subject and compares what it
// did with the learner's prediction p (the variable called name).
func predictionCheck(t *testing.T, check, name string, p predict.Prediction, who subject) {
	checker.Run(t, checker.Check{Name: check, Data: []string{"budget", "budget-variant"}}, func(c *checker.C) {
		if p.Statements == 0 {
			c.Fatalf("You have not written down your prediction for %[1]s yet (its Statements is 0).\n"+
				"  Read CategoryTotals in lessons/09-predict/given.go, then fill in %[1]s in\n"+
				"  lessons/09-predict/prediction.go: the totals you expect CategoryTotals(db, %[2]q)\n"+
				"  to return, and how many statements you expect it to run. Then run the checks:\n"+
				"  they run it and compare.",
				name, who["budget"])
		}
		email := who.email(c)
		call := fmt.Sprintf("CategoryTotals(db, %q)", email)
		got, err := predict.CategoryTotals(c.DB(), email)
		c.NoError(err, call)
		ran := len(c.Statements())
		if !c.ExpectStatementCount(p.Statements, call) {
			if why := whyCount(c.Statements(), len(c.Statements()) > p.Statements); why != "" {
				c.Errorf("%s", why)
			}
		}
		if c.Data() == "budget" {
			if diff := totalsDiff(p.Totals, got); diff != "" {
				c.Errorf("%s.Totals (your prediction; \"want\" is what %s returned):\n%s", name, call, diff)
			}
		}
		// The given code does on every data set what the lesson says.
		c.Expect(predict.Prediction{Totals: got, Statements: ran}, checker.Named("given"),
			checker.Cause("This is what CategoryTotals, in lessons/09-predict/given.go, returned and ran, and it is not\n"+
				"what the lesson's given code does: given.go was changed. The lesson asks you to predict that\n"+
				"code as it is, not to change it: undo your changes to given.go (git checkout --\n"+
				"lessons/09-predict/given.go) and write your prediction in prediction.go."))
	})
}

// whyCount points at the statement a miscount usually misses, given which
// way it missed: a count that is too low (low) left out the lazy load that
// finds no expenses; one that is too high counted a category load for
// every expense, or for a user with none.
func whyCount(statements []stmtlog.Entry, low bool) string {
	var expenses stmtlog.Entry
	categories := 0
	for _, e := range statements {
		switch {
		case strings.Contains(e.SQL, "FROM expenses"):
			expenses = e
		case strings.Contains(e.SQL, "FROM categories"):
			categories++
		}
	}
	switch {
	case expenses.Seq == 0:
		return ""
	case expenses.Rows == 0 && low:
		return fmt.Sprintf("Statement %d found no expenses, so the loop never asked for a category; but finding\n"+
			"  that there are none took a statement: Session.Expenses runs its SELECT the first time it is\n"+
			"  asked, whatever it finds.", expenses.Seq)
	case expenses.Rows == 0:
		return fmt.Sprintf("Statement %d found no expenses, so the loop never asked for a category: there was\n"+
			"  no category to load.", expenses.Seq)
	case expenses.Rows > int64(categories) && !low:
		return fmt.Sprintf("Statement %d returned %d expenses, and %d categories were loaded, not %d: Session.Category\n"+
			"  asks the database only for a category it has not loaded before, and answers from its map\n"+
			"  after that.", expenses.Seq, expenses.Rows, categories, expenses.Rows)
	case low:
		return fmt.Sprintf("Count them all: the user (statement 1), their expenses (statement %d), and one\n"+
			"  statement for each category their expenses name the first time it is asked for.", expenses.Seq)
	}
	return ""
}

// totalsDiff compares the predicted totals with those CategoryTotals
// returned (a nil map is the empty map it means), one line for each
// category that differs, then both maps in full. It returns "" when they
// are equal.
func totalsDiff(predicted, returned map[string]int64) string {
	var lines []string
	twin := func(k string, in map[string]int64) string { // k in other capitals
		for o := range in {
			if o != k && strings.EqualFold(o, k) {
				return o
			}
		}
		return ""
	}
	for _, k := range slices.Sorted(maps.Keys(predicted)) {
		v, ok := returned[k]
		switch {
		case !ok && twin(k, returned) != "":
			o := twin(k, returned)
			lines = append(lines, fmt.Sprintf("your prediction names %q, and the category is %q: a map key is the name exactly\n"+
				"  as the categories table stores it, capitals and all (Go compares keys byte by byte)", k, o))
		case !ok && predicted[k] == 0:
			lines = append(lines, fmt.Sprintf("your prediction lists %s with 0; CategoryTotals returns no entry for a category\n"+
				"  the user spent nothing in, so leave it out", k))
		case !ok:
			lines = append(lines, fmt.Sprintf("your prediction lists %s with %d, but the user spent nothing in %s, and\n"+
				"  CategoryTotals returns no entry for it: leave it out", k, predicted[k], k))
		case v != predicted[k]:
			lines = append(lines, fmt.Sprintf("%s is %d, want %d", k, predicted[k], v))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(returned)) {
		if _, ok := predicted[k]; !ok && twin(k, predicted) == "" {
			lines = append(lines, fmt.Sprintf("%s is missing from your prediction, want %d", k, returned[k]))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "  " + strings.Join(lines, "\n  ") + "\n" +
		"  yours: " + mapText(predicted) + "\n" +
		"  want:  " + mapText(returned)
}

// mapText writes totals as Go would, keys sorted.
func mapText(m map[string]int64) string {
	parts := []string{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%q: %d", k, m[k]))
	}
	return "map[string]int64{" + strings.Join(parts, ", ") + "}"
}

func TestPredictBob(t *testing.T) { predictionCheck(t, "predict-bob", "Bob", predict.Bob, bobLike) }

func TestPredictDave(t *testing.T) {
	predictionCheck(t, "predict-dave", "Dave", predict.Dave, daveLike)
}
