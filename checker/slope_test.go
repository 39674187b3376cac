package checker

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

func TestPerRowsBudget(t *testing.T) {
	p := PerRows{Base: 1, Per: 500, Of: "users"}
	tests := []struct {
		name    string
		p       PerRows
		rows    int
		want    int
		formula string
	}{
		{"no rows", p, 0, 1, "1 + ⌈0 / 500⌉ = 1"},
		{"one row", p, 1, 2, "1 + ⌈1 / 500⌉ = 2"},
		{"one short of a batch", p, 499, 2, "1 + ⌈499 / 500⌉ = 2"},
		{"one batch exactly", p, 500, 2, "1 + ⌈500 / 500⌉ = 2"},
		{"one past a batch", p, 501, 3, "1 + ⌈501 / 500⌉ = 3"},
		{"past SQLite's limit", p, 40000, 81, "1 + ⌈40,000 / 500⌉ = 81"},
		{"another base and slope", PerRows{Base: 2, Per: 1000, Of: "expenses"}, 122486, 125, "2 + ⌈122,486 / 1,000⌉ = 125"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Budget(tt.rows); got != tt.want {
				t.Errorf("Budget(%d) = %d, want %d", tt.rows, got, tt.want)
			}
			if got := tt.p.Formula(tt.rows); got != tt.formula {
				t.Errorf("Formula(%d) = %q, want %q", tt.rows, got, tt.formula)
			}
		})
	}
	if got, want := p.String(), "1 + ⌈users / 500⌉"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestPerRowsProblem(t *testing.T) {
	tests := []struct {
		name  string
		check Check
		want  string // a part of the problem; "" for none
	}{
		{"none", Check{Name: "c", Data: []string{"budget"}}, ""},
		{"fine", Check{Name: "c", Data: []string{"budget"}, BudgetPer: PerRows{Base: 1, Per: 500, Of: "users"}}, ""},
		{"both budgets", Check{Name: "c", Data: []string{"budget"}, Budget: 2, BudgetPer: PerRows{Base: 1, Per: 500, Of: "users"}}, "both Budget and BudgetPer"},
		{"no slope", Check{Name: "c", Data: []string{"budget"}, BudgetPer: PerRows{Base: 1, Of: "users"}}, "must be more than 0"},
		{"negative base", Check{Name: "c", Data: []string{"budget"}, BudgetPer: PerRows{Base: -1, Per: 5, Of: "users"}}, "negative BudgetPer.Base"},
		{"no table", Check{Name: "c", Data: []string{"budget"}, BudgetPer: PerRows{Base: 1, Per: 5}}, "no table to count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			got := cfg.problem(tt.check)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("problem = %q, want one with %q", got, tt.want)
			}
		})
	}
}

// userExpense is a row of the reports the runs below make.
type userExpense struct {
	UserID int64 `db:"user_id"`
	ID     int64 `db:"id"`
}

// expensesInBatches reads the users, then their expenses size ids at a
// time (all of them at once for size 0, as one IN list); json sends them
// as one JSON array for json_each instead. A size of 1 is a statement per
// user, the N+1.
func expensesInBatches(size int, asJSON bool) func(*sqlx.DB) ([]userExpense, error) {
	return func(db *sqlx.DB) ([]userExpense, error) {
		var ids []int64
		if err := db.Select(&ids, `SELECT id FROM users ORDER BY id`); err != nil {
			return nil, err
		}
		if asJSON {
			b, err := json.Marshal(ids)
			if err != nil {
				return nil, err
			}
			var out []userExpense
			err = db.Select(&out, `SELECT user_id, id FROM expenses WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(b))
			return out, err
		}
		if size == 0 {
			size = len(ids)
		}
		var out []userExpense
		for start := 0; start < len(ids); start += size {
			q, args, err := sqlx.In(`SELECT user_id, id FROM expenses WHERE user_id IN (?) ORDER BY id`, ids[start:min(start+size, len(ids))])
			if err != nil {
				return nil, err
			}
			var part []userExpense
			if err := db.Select(&part, db.Rebind(q), args...); err != nil {
				return nil, fmt.Errorf("loading expenses: %w", err)
			}
			out = append(out, part...)
		}
		return out, nil
	}
}

// TestPerRowsJudgesBatches runs the checks of a budget that grows by one
// statement for every 500 users on 1,200 generated users (a budget of 1 +
// ⌈1,200 / 500⌉ = 4): batches of 500 and one statement of json_each meet
// it; a statement per user and batches of 10 do not, and the message
// states the formula with its figures.
func TestPerRowsJudgesBatches(t *testing.T) {
	tests := []struct {
		name       string
		f          func(*sqlx.DB) ([]userExpense, error)
		wantBudget protocol.Part
		statements int
	}{
		{"batches of 500", expensesInBatches(500, false), protocol.PartPass, 4},
		{"batches of 1000", expensesInBatches(1000, false), protocol.PartPass, 3},
		{"json_each", expensesInBatches(0, true), protocol.PartPass, 2},
		{"one IN list", expensesInBatches(0, false), protocol.PartPass, 2},
		{"a statement per user", expensesInBatches(1, false), protocol.PartFail, 1201},
		{"batches of 10", expensesInBatches(10, false), protocol.PartFail, 121},
	}
	check := Check{Name: "per-rows", Data: []string{"budget-1200"}, BudgetPer: PerRows{Base: 1, Per: 500, Of: "users"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			v := cfg.run(check, func(c *C) {
				_, err := tt.f(c.DB())
				c.NoError(err, "Report(db)")
			})
			if v.Budget != tt.wantBudget || v.Statements != tt.statements || v.MaxStatements != 4 {
				t.Errorf("budget %s, %d statements of %d; want %s, %d of 4\n%s", v.Budget, v.Statements, v.MaxStatements, tt.wantBudget, tt.statements, describe(v))
			}
			if tt.wantBudget == protocol.PartFail {
				golden(t, "slope_"+strings.ReplaceAll(tt.name, " ", "_"), describe(v))
			}
		})
	}
}

// TestPerRowsCountsAtTheStart counts the budget's rows on the copy the
// run starts from: rows the body deletes do not lower it.
func TestPerRowsCountsAtTheStart(t *testing.T) {
	cfg := testConfig(t)
	check := Check{Name: "per-rows", Data: []string{"budget"}, BudgetPer: PerRows{Base: 0, Per: 1, Of: "users"}}
	var counted []int
	v := cfg.run(check, func(c *C) {
		c.Query(&counted, `SELECT count(*) FROM users`)
		c.Exec(`DELETE FROM expenses`)
		c.Exec(`DELETE FROM users`)
		_, err := c.DB().Exec(`SELECT 1`)
		c.NoError(err, "Report(db)")
	})
	if len(counted) != 1 || counted[0] == 0 {
		t.Fatalf("the users counted: %v", counted)
	}
	if users := counted[0]; v.Budget != protocol.PartPass || v.MaxStatements != users {
		t.Errorf("budget %s of %d statements; want pass of %d\n%s", v.Budget, v.MaxStatements, users, describe(v))
	}
}

// TestValueLimitIsExplained binds one value more than SQLite allows in one
// statement, and a JSON value written by fmt: each error is explained by
// what the statement was given, not by SQLite's words.
func TestValueLimitIsExplained(t *testing.T) {
	limit := variableLimit()
	if limit != 32766 {
		t.Fatalf("the bundled SQLite allows %d values in one statement; the lessons say 32,766", limit)
	}
	ids := make([]int64, limit+1)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	tests := []struct {
		name string
		f    func(*sqlx.DB) error
	}{
		{"too many values", func(db *sqlx.DB) error {
			q, args, err := sqlx.In(`SELECT id FROM users WHERE id IN (?)`, ids)
			if err != nil {
				return err
			}
			var got []int64
			return db.Select(&got, q, args...)
		}},
		{"a value that is not JSON", func(db *sqlx.DB) error {
			var got []int64
			return db.Select(&got, `SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?))`, fmt.Sprint(ids[:3]))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			v := cfg.run(Check{Name: "values", Data: []string{"budget"}}, func(c *C) {
				c.NoError(tt.f(c.DB()), "Report(db)")
			})
			if v.Status != protocol.StatusError {
				t.Errorf("status %s, want %s", v.Status, protocol.StatusError)
			}
			golden(t, "values_"+strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}
