package stmtlog

import (
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	for _, tt := range []struct {
		sql  string
		want []string
	}{
		{"SELECT 1", []string{"SELECT 1"}},
		{"SELECT 1;", []string{"SELECT 1;"}},
		{"SELECT 1; -- done", []string{"SELECT 1; -- done"}},
		{"SELECT 1;;  ;", []string{"SELECT 1;;  ;"}},
		{"SELECT 1; SELECT 2", []string{"SELECT 1;", " SELECT 2"}},
		{"SELECT ';'; SELECT \"a;b\", [c;d], `e;f`", []string{"SELECT ';';", " SELECT \"a;b\", [c;d], `e;f`"}},
		{"SELECT 'it''s; here'; SELECT 2", []string{"SELECT 'it''s; here';", " SELECT 2"}},
		{"/* a; b */ SELECT 1; /* c */", []string{"/* a; b */ SELECT 1; /* c */"}},
		{"CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN DELETE FROM y; UPDATE z SET a = 1; END; SELECT 1",
			[]string{"CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN DELETE FROM y; UPDATE z SET a = 1; END;", " SELECT 1"}},
		{"create trigger t after insert on x begin select 1; end ; drop table x",
			[]string{"create trigger t after insert on x begin select 1; end ;", " drop table x"}},
		// A table named trigger is no trigger: CREATE TABLE leaves the
		// CREATE state at TABLE.
		{"CREATE TABLE x (a); CREATE INDEX i ON x (a)", []string{"CREATE TABLE x (a);", " CREATE INDEX i ON x (a)"}},
		{"EXPLAIN SELECT 1; SELECT 2", []string{"EXPLAIN SELECT 1;", " SELECT 2"}},
		{"SELECT 'unterminated; SELECT 2", []string{"SELECT 'unterminated; SELECT 2"}},
		{"DELETE FROM café; DELETE FROM naïve", []string{"DELETE FROM café;", " DELETE FROM naïve"}},
	} {
		if got := splitStatements(tt.sql); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitStatements(%q)\n got %q\nwant %q", tt.sql, got, tt.want)
		}
	}
}
