package checker

import (
	"strings"
	"testing"

	"workbook/internal/protocol"
)

// TestUncommittedWrites: a write the learner's code left in a transaction
// it never committed is explained by that transaction, not only by the
// row that is missing.
func TestUncommittedWrites(t *testing.T) {
	const insert = `INSERT INTO expenses (user_id, category_id, description, amount_cents, expense_date)
		VALUES (1, 1, 'Tea', 300, '2026-02-01')`
	tests := []struct {
		name string
		code func(c *C) error
	}{
		{"never committed", func(c *C) error {
			tx, err := c.DB().Begin()
			if err != nil {
				return err
			}
			_, err = tx.Exec(insert)
			return err
		}},
		{"rolled back", func(c *C) error {
			tx, err := c.DB().Begin()
			if err != nil {
				return err
			}
			defer tx.Rollback()
			_, err = tx.Exec(insert)
			return err
		}},
		{"committed", func(c *C) error {
			tx, err := c.DB().Begin()
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err = tx.Exec(insert); err != nil {
				return err
			}
			return tx.Commit()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			v := cfg.run(Check{Name: "add-expense", Data: []string{"budget"}, Writes: true}, func(c *C) {
				before := c.Snapshot()
				c.NoError(tt.code(c), "AddExpense(db)")
				c.ExpectChanges(before, Changes{"expenses": {Added: 1}})
				if why := c.UncommittedWrites(); why != "" {
					c.Errorf("UncommittedWrites:\n%s", why)
				}
			})
			if tt.name == "committed" {
				if v.Status != protocol.StatusPass {
					t.Errorf("verdict = %s", describe(v))
				}
				return
			}
			golden(t, "tx_"+strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}
