package predict_test

import (
	"fmt"
	"strings"
	"testing"

	"workbook/checker"
	"workbook/checker/stmtlog"
	predict "workbook/lessons/09-predict"
)

// subject names, for each data set, the user a prediction is about. The
// lesson's data is where the learner predicts; on the variant, a user whose
// spending has the same shape (three expenses in two categories, or none)
// must take the same number of statements.
type subject map[string]string

var (
	bobLike  = subject{"budget": "bob@example.com", "budget-variant": "omar@example.net"}
	daveLike = subject{"budget": "dave@example.com", "budget-variant": "priya@example.net"}
)

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
		call := fmt.Sprintf("CategoryTotals(db, %q)", who[c.Data()])
		got, err := predict.CategoryTotals(c.DB(), who[c.Data()])
		c.NoError(err, call)
		ran := len(c.Statements())
		if !c.ExpectStatementCount(p.Statements, call) {
			if why := whyCount(c.Statements(), len(c.Statements()) > p.Statements); why != "" {
				c.Errorf("%s", why)
			}
		}
		if c.Data() == "budget" {
			c.Equal(nonNil(p.Totals), nonNil(got),
				fmt.Sprintf("%s.Totals (your prediction; \"want\" is what %s returned)", name, call))
		}
		// The given code does on every data set what the lesson says.
		c.Expect(predict.Prediction{Totals: got, Statements: ran}, checker.Named("given"))
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

// nonNil treats a nil map as the empty map it means.
func nonNil(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return m
}

func TestPredictBob(t *testing.T) { predictionCheck(t, "predict-bob", "Bob", predict.Bob, bobLike) }

func TestPredictDave(t *testing.T) {
	predictionCheck(t, "predict-dave", "Dave", predict.Dave, daveLike)
}
