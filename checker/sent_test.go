package checker

import (
	"strings"
	"testing"

	"workbook/internal/protocol"
)

// TestRowsReadAtMost: code whose queries send more rows than its result is
// made of (every expense, filtered in Go) fails, and code that asks for
// just its rows passes.
func TestRowsReadAtMost(t *testing.T) {
	for _, tt := range []struct {
		name, query string
		want        protocol.Status
	}{
		{"filtered in SQL", `SELECT id FROM expenses WHERE user_id = 1`, protocol.StatusPass},
		{"filtered in Go", `SELECT id FROM expenses`, protocol.StatusFail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := testConfig(t).run(Check{Name: "rows", Data: []string{"budget"}, Budget: 1}, func(c *C) {
				var ids []int64
				if err := c.DB().Select(&ids, tt.query); err != nil {
					c.Fatalf("%v", err)
				}
				var mine []int64
				for _, id := range ids {
					var owner []int64
					c.Query(&owner, `SELECT user_id FROM expenses WHERE id = ?`, id)
					if owner[0] == 1 {
						mine = append(mine, id)
					}
				}
				c.ExpectRowsReadAtMost(len(mine), "Mine(db)", "the user's expenses", "Filter in SQL.")
			})
			if v.Status != tt.want {
				t.Fatalf("status %s, want %s: %s", v.Status, tt.want, describe(v))
			}
			if tt.want == protocol.StatusFail && !strings.Contains(describe(v), "Mine(db) read 16 rows from the database to return 3 rows") {
				t.Errorf("message:\n%s", describe(v))
			}
		})
	}
}
