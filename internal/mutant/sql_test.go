package mutant

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, sql string
		want      []string // the tokens that are not space, and the depth of each after a colon
	}{
		{"words and operators", "a>=1 AND b<>2", []string{"a:0", ">=:0", "1:0", "AND:0", "b:0", "<>:0", "2:0"}},
		{"string with a quote inside", `x = 'it''s (not) ORDER BY'`, []string{"x:0", "=:0", "'it''s (not) ORDER BY':0"}},
		{"quoted names", "\"order\" `by` [group]", []string{"\"order\":0", "`by`:0", "[group]:0"}},
		{"comments", "a -- ORDER BY x\n/* ( */ b", []string{"a:0", "-- ORDER BY x:0", "/* ( */:0", "b:0"}},
		{"parentheses", "f(a, (b))", []string{"f:0", "(:0", "a:1", ",:1", "(:1", "b:2", "):1", "):0"}},
		{"unterminated string", "'abc", []string{"'abc:0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tok := range tokenize(tt.sql) {
				if tok.kind != tokSpace {
					got = append(got, tok.text+":"+string(rune('0'+tok.depth)))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("tokenize(%q) =\n  %q\nwant\n  %q", tt.sql, got, tt.want)
			}
		})
	}
}

func TestSQLMutants(t *testing.T) {
	tests := []struct {
		name, sql string
		want      []string // every mutant, in order
	}{
		{"order keys and directions", "SELECT a FROM t ORDER BY a DESC, b", []string{
			"SELECT a FROM t ORDER BY b",
			"SELECT a FROM t ORDER BY a ASC, b",
			"SELECT a FROM t ORDER BY a DESC",
			"SELECT a FROM t ORDER BY a DESC, b DESC",
		}},
		{"one order key drops the clause", "SELECT a FROM t\nORDER BY a LIMIT 3", []string{
			"SELECT a FROM t LIMIT 3",
			"SELECT a FROM t\nORDER BY a DESC LIMIT 3",
			"SELECT a FROM t\nORDER BY a",
		}},
		{"where conjuncts, not BETWEEN's AND", "SELECT a FROM t WHERE x BETWEEN 1 AND 2 AND y = 'a AND b'", []string{
			"SELECT a FROM t WHERE y = 'a AND b'",
			"SELECT a FROM t WHERE x BETWEEN 1 AND 2",
		}},
		{"a subquery's own clauses", "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t = t.id ORDER BY u.x)", []string{
			"SELECT a FROM t",
			"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u ORDER BY u.x)",
			"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t = t.id)",
			"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t = t.id ORDER BY u.x DESC)",
		}},
		{"joins and their conditions", "SELECT 1 FROM a JOIN b ON b.a = a.id AND b.k = 1 LEFT JOIN c ON c.b = b.id", []string{
			"SELECT 1 FROM a LEFT JOIN b ON b.a = a.id AND b.k = 1 LEFT JOIN c ON c.b = b.id",
			"SELECT 1 FROM a JOIN b ON b.k = 1 LEFT JOIN c ON c.b = b.id",
			"SELECT 1 FROM a JOIN b ON b.a = a.id LEFT JOIN c ON c.b = b.id",
			"SELECT 1 FROM a JOIN b ON b.a = a.id AND b.k = 1 JOIN c ON c.b = b.id",
			"SELECT 1 FROM a JOIN b ON b.a = a.id AND b.k = 1 LEFT JOIN c",
		}},
		{"distinct and comparisons", "SELECT DISTINCT a FROM t WHERE a >= 1", []string{
			"SELECT a FROM t WHERE a >= 1",
			"SELECT DISTINCT a FROM t",
			"SELECT DISTINCT a FROM t WHERE a > 1",
		}},
		{"less than", "DELETE FROM t WHERE a < ?", []string{
			"DELETE FROM t",
			"DELETE FROM t WHERE a <= ?",
		}},
		{"aggregates", "SELECT count(*), sum(e.x), count(e.id) FROM u LEFT JOIN e ON e.u = u.id", []string{
			"SELECT count(e.x), sum(e.x), count(e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), sum(DISTINCT e.x), count(e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), count(e.x), count(e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), avg(e.x), count(e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), sum(e.x), count(DISTINCT e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), sum(e.x), sum(e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), sum(e.x), avg(e.id) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), sum(e.x), count(*) FROM u LEFT JOIN e ON e.u = u.id",
			"SELECT count(*), sum(e.x), count(e.id) FROM u JOIN e ON e.u = u.id",
			"SELECT count(*), sum(e.x), count(e.id) FROM u LEFT JOIN e",
		}},
		{"distinct aggregates of one argument", "SELECT TOTAL(x + 1), avg(coalesce(y, 0)), group_concat(z) FROM t", []string{
			"SELECT TOTAL(DISTINCT x + 1), avg(coalesce(y, 0)), group_concat(z) FROM t",
			"SELECT COUNT(x + 1), avg(coalesce(y, 0)), group_concat(z) FROM t",
			"SELECT AVG(x + 1), avg(coalesce(y, 0)), group_concat(z) FROM t",
			"SELECT TOTAL(x + 1), avg(DISTINCT coalesce(y, 0)), group_concat(z) FROM t",
			"SELECT TOTAL(x + 1), sum(coalesce(y, 0)), group_concat(z) FROM t",
			"SELECT TOTAL(x + 1), count(coalesce(y, 0)), group_concat(z) FROM t",
			"SELECT TOTAL(x + 1), avg(coalesce(y, 0)), group_concat(DISTINCT z) FROM t",
		}},
		{"no DISTINCT where there is one, or two arguments", "SELECT sum(DISTINCT x), group_concat(z, ', ') FROM t", []string{
			"SELECT count(DISTINCT x), group_concat(z, ', ') FROM t",
			"SELECT avg(DISTINCT x), group_concat(z, ', ') FROM t",
			"SELECT sum(x), group_concat(z, ', ') FROM t",
		}},
		{"limit", "SELECT a FROM t LIMIT ? OFFSET 2", []string{"SELECT a FROM t"}},
		{"on delete, and an index's ON", "CREATE TABLE e (u INTEGER REFERENCES u(id) ON DELETE SET NULL);\nCREATE INDEX e_u ON e(u);", []string{
			"CREATE TABLE e (u INTEGER REFERENCES u(id) ON DELETE CASCADE);\nCREATE INDEX e_u ON e(u);",
			"CREATE TABLE e (u INTEGER REFERENCES u(id) ON DELETE RESTRICT);\nCREATE INDEX e_u ON e(u);",
			"CREATE TABLE e (u INTEGER REFERENCES u(id) ON DELETE NO ACTION);\nCREATE INDEX e_u ON e(u);",
		}},
		{"nothing in comments or strings", "SELECT 'a >= b' -- ORDER BY x\nFROM t", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range sqlMutants(tt.sql) {
				got = append(got, e.apply(tt.sql))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("mutants of %q:\n  %s\nwant\n  %s", tt.sql, strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestIsSQL(t *testing.T) {
	for s, want := range map[string]bool{
		"\n\t\tSELECT 1": true, "-- a comment\ninsert into t values (1)": true, "with x as (select 1) select * from x": true,
		"loading users: %w": false, "": false, "id": false, "PRAGMA foreign_keys": false,
	} {
		if got := isSQL(s); got != want {
			t.Errorf("isSQL(%q) = %v, want %v", s, got, want)
		}
	}
}
