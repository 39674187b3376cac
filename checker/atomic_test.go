package checker

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"workbook/internal/protocol"
)

// TestAllOrNothing: a unit of work that leaves part of itself behind when
// one of its writes fails is caught whichever write it is, and the message
// says which statement failed and why the rest stayed.
func TestAllOrNothing(t *testing.T) {
	tests := []struct {
		name string
		code func(*sqlx.DB) error
	}{
		{"one transaction", addTwoInOneTx},
		{"committed half way", addTwoCommittingHalfWay},
		{"without a transaction", addTwoWithoutTx},
		{"an error dropped", addTwoDroppingErrors},
		{"a transaction left open", addTwoLeavingTxOpen},
		{"the commit's error dropped", addTwoDroppingCommitError},
		{"a later error returned", addTwoReturningALaterError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			v := cfg.run(Check{Name: "add-two", Data: []string{"budget"}, Writes: true}, func(c *C) {
				c.ExpectAllOrNothing("AddTwo(db)", tt.code)
				before := c.Snapshot()
				c.NoError(tt.code(c.DB()), "AddTwo(db)")
				c.ExpectChanges(before, Changes{"users": {Added: 2}})
			})
			if tt.name == "one transaction" {
				if v.Status != protocol.StatusPass {
					t.Errorf("verdict = %s", describe(v))
				}
				if n := v.Statements; n != 2 {
					t.Errorf("the check counted %d statements, want the 2 of its own call", n)
				}
				return
			}
			golden(t, "atomic_"+strings.NewReplacer(" ", "_", "'", "").Replace(tt.name), describe(v))
		})
	}
}
