package checker

import (
	"strings"
	"testing"

	"workbook/internal/sqlite"
)

func TestSchemaLeft(t *testing.T) {
	log := sqlite.Object{Type: "table", Name: "activity_log", Table: "activity_log", SQL: "CREATE TABLE activity_log (id)"}
	logIndex := sqlite.Object{Type: "index", Name: "log_email", Table: "activity_log", SQL: "CREATE INDEX log_email ON activity_log(owner_email)"}
	accounts := sqlite.Object{Type: "table", Name: "accounts", Table: "accounts", SQL: "CREATE TABLE accounts (id)"}
	accountsIndex := sqlite.Object{Type: "index", Name: "accounts_owner", Table: "accounts", SQL: "CREATE INDEX accounts_owner ON accounts(owner)"}
	tests := []struct {
		name    string
		was, is []sqlite.Object
		created map[string]bool
		want    []string // substrings, one per line; none for no line
	}{
		{"nothing changed", []sqlite.Object{log, logIndex}, []sqlite.Object{log, logIndex}, nil, nil},
		{"an index kept on a table left as it was", []sqlite.Object{log}, []sqlite.Object{log, logIndex}, nil,
			[]string{"activity_log: the index log_email was created, and kept"}},
		{"an index dropped", []sqlite.Object{log, logIndex}, []sqlite.Object{log}, nil,
			[]string{"activity_log: the index log_email was dropped"}},
		{"an index changed", []sqlite.Object{log, logIndex}, []sqlite.Object{log, {Type: "index", Name: "log_email", Table: "activity_log", SQL: "CREATE INDEX log_email ON activity_log(owner)"}}, nil,
			[]string{"the index log_email was changed, now: CREATE INDEX log_email ON activity_log(owner)"}},
		{"a created table's own index", []sqlite.Object{log}, []sqlite.Object{log, accounts, accountsIndex}, map[string]bool{"accounts": true}, nil},
		{"a new table is the tables' comparison's to report", []sqlite.Object{log}, []sqlite.Object{log, accounts}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := schemaLeft(tc.was, tc.is, tc.created)
			if len(got) != len(tc.want) {
				t.Fatalf("schemaLeft = %q, want %d lines like %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("line %d = %q, want it to say %q", i, got[i], w)
				}
			}
		})
	}
}
