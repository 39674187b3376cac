package checker

import (
	"strings"
	"testing"

	"workbook/internal/protocol"
)

// createTotals plays a learner's migration: it creates a table of totals
// per user and fills it, optionally with one row too many.
func createTotals(c *C, extra bool) {
	_, err := c.DB().Exec(`CREATE TABLE totals (user_id INTEGER PRIMARY KEY, total_cents INTEGER NOT NULL);
		INSERT INTO totals SELECT user_id, sum(amount_cents) FROM expenses GROUP BY user_id`)
	c.NoError(err, "Migrate(db)")
	if extra {
		_, err = c.DB().Exec(`INSERT INTO totals VALUES (99, 0)`)
		c.NoError(err, "Migrate(db)")
	}
}

// The tests use the cascade data set: lesson 10's own, which other lessons
// do not grow.
func TestChangesCreated(t *testing.T) {
	check := Check{Name: "created", Data: []string{"cascade"}, ChangesSchema: true}
	tests := []struct {
		name       string
		body       func(*C)
		wantStatus protocol.Status
		wantIn     string // a line the message must hold; "" for a pass
	}{
		{
			name: "created as expected",
			body: func(c *C) {
				before := c.Snapshot()
				createTotals(c, false)
				c.ExpectChanges(before, Changes{"totals": {Created: true, Added: 4, AddedWhere: "total_cents > 0"}})
			},
			wantStatus: protocol.StatusPass,
		},
		{
			name: "not created",
			body: func(c *C) {
				before := c.Snapshot()
				c.ExpectChanges(before, Changes{"totals": {Created: true, Added: 4}})
			},
			wantStatus: protocol.StatusFail,
			wantIn:     "table totals should have been created; it does not exist",
		},
		{
			name: "created with a row too many",
			body: func(c *C) {
				before := c.Snapshot()
				createTotals(c, true)
				c.ExpectChanges(before, Changes{"totals": {Created: true, Added: 4, AddedWhere: "total_cents > 0"}})
			},
			wantStatus: protocol.StatusFail,
			wantIn:     "totals: 5 rows added, want 4:",
		},
		{
			name: "created rows that break AddedWhere",
			body: func(c *C) {
				before := c.Snapshot()
				createTotals(c, false)
				c.ExpectChanges(before, Changes{"totals": {Created: true, Added: 4, AddedWhere: "total_cents > 10000"}})
			},
			wantStatus: protocol.StatusFail,
			wantIn:     "totals: the added row should have total_cents > 10000, but it is:",
		},
		{
			name: "created but not named",
			body: func(c *C) {
				before := c.Snapshot()
				createTotals(c, false)
				c.ExpectChanges(before, Changes{})
			},
			wantStatus: protocol.StatusFail,
			wantIn:     "table totals was created; it should not exist",
		},
		{
			name: "named Created but existed before",
			body: func(c *C) {
				before := c.Snapshot()
				c.ExpectChanges(before, Changes{"users": {Created: true}})
			},
			wantStatus: protocol.StatusBroken,
			wantIn:     "checker: table users: Changes says it is Created, but it existed before",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := testConfig(t).run(check, tt.body)
			if v.Status != tt.wantStatus {
				t.Fatalf("status = %s, want %s\n%s", v.Status, tt.wantStatus, describe(v))
			}
			if tt.wantIn != "" && (len(v.Failures) == 0 || !strings.Contains(v.Failures[0].Message, tt.wantIn)) {
				t.Errorf("the message does not say %q:\n%s", tt.wantIn, describe(v))
			}
			golden(t, "changes_"+strings.ReplaceAll(tt.name, " ", "_"), describe(v))
		})
	}
}
