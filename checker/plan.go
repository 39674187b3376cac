package checker

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"

	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// A PlanRule is something a check expects of how SQLite runs the learner's
// statements: [NoScan] or [NoTempSort]. A check lists its rules in
// [Check.Plans]; each statement shape the learner's code ran is asked for
// its plan (EXPLAIN QUERY PLAN, with the arguments of its first execution)
// and a step that breaks a rule fails the check, with the plan.
type PlanRule struct {
	scan     string // the table no step may read in full
	tempSort bool   // no step may sort into a temporary B-tree
}

// NoScan is the rule that no statement reads every row of table: each
// must find its rows through an index (a SEARCH in the plan). A scan of a
// whole index (SCAN t USING COVERING INDEX) still reads every entry, and
// counts as a scan.
func NoScan(table string) PlanRule { return PlanRule{scan: table} }

// NoTempSort is the rule that no statement sorts its rows into a temporary
// B-tree: an ORDER BY, GROUP BY or DISTINCT must be served by an index
// that already holds the rows in that order.
func NoTempSort() PlanRule { return PlanRule{tempSort: true} }

// String says what the rule asks, for a failure message.
func (r PlanRule) String() string {
	if r.tempSort {
		return "no statement may sort its rows into a temporary B-tree"
	}
	return fmt.Sprintf("no statement may read every row of %s", r.scan)
}

// broken returns the steps of p that break r.
func (r PlanRule) broken(p protocol.Plan) []protocol.PlanStep {
	var out []protocol.PlanStep
	for _, s := range p.Steps {
		if r.tempSort && s.TempSort || r.scan != "" && strings.EqualFold(s.Scan, r.scan) {
			out = append(out, s)
		}
	}
	return out
}

// planned reports whether a statement's plan can be asked for: reads and
// writes, not transaction control, PRAGMAs or schema changes.
func planned(e stmtlog.Entry) bool {
	if e.Kind != stmtlog.KindStatement || e.Err != "" {
		return false
	}
	switch strings.ToUpper(firstWord(e.SQL)) {
	case "SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "REPLACE", "VALUES":
		return true
	}
	return false
}

// readPlans asks the database at path how it runs each shape of statement
// in entries, with the arguments of the shape's first execution. It runs on
// a handle of the checker's own, after the learner's code has returned: what
// it asks is neither counted nor seen by the learner's code. A statement
// whose plan cannot be read (its table was dropped later, say) gets the
// error instead.
func readPlans(path string, entries []stmtlog.Entry) []protocol.Plan {
	var first []stmtlog.Entry
	seen := map[string]bool{}
	for _, e := range entries {
		if !planned(e) {
			continue
		}
		key := strings.ToLower(stmtlog.Shape(e.SQL))
		if !seen[key] {
			seen[key] = true
			first = append(first, e)
		}
	}
	if len(first) == 0 {
		return nil
	}
	db := openOwn(sqlite.DSN(path, sqlite.Options{ForeignKeys: true, BusyTimeout: sqlite.DefaultBusyTimeout}))
	defer db.Close()
	out := make([]protocol.Plan, 0, len(first))
	for _, e := range first {
		p := protocol.Plan{Shape: stmtlog.Shape(e.SQL), Seq: e.Seq}
		steps, err := queryPlan(db, e.SQL, e.Args)
		if err != nil {
			p.Err = err.Error()
		} else {
			p.Steps = describePlan(db, e.SQL, steps)
		}
		out = append(out, p)
	}
	return out
}

// planRow is one row of EXPLAIN QUERY PLAN.
type planRow struct {
	ID, Parent int
	Detail     string
}

func queryPlan(db *sqlx.DB, query string, args []any) ([]planRow, error) {
	rows, err := db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []planRow
	for rows.Next() {
		var r planRow
		var unused int
		if err := rows.Scan(&r.ID, &r.Parent, &unused, &r.Detail); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

var (
	scanStep     = regexp.MustCompile(`^SCAN (\w+)`)
	tempSortStep = regexp.MustCompile(`^USE TEMP B-TREE FOR`)
	// tableAlias finds "FROM expenses e", "JOIN expenses AS e", "UPDATE
	// expenses", "DELETE FROM expenses": a table and the name it goes by.
	tableAlias = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?`)
)

// sqlWords are words that can follow a table name and are not its alias.
var sqlWords = map[string]bool{
	"where": true, "join": true, "left": true, "inner": true, "cross": true, "on": true, "using": true,
	"group": true, "order": true, "limit": true, "set": true, "values": true, "select": true,
	"natural": true, "outer": true, "right": true, "full": true, "window": true, "having": true,
	"union": true, "except": true, "intersect": true, "returning": true, "default": true,
	"indexed": true, "not": true, "as": true,
}

// describePlan turns the rows of a plan into steps, with their depth, the
// table each scan reads (the statement's aliases resolved) and the index
// that would turn it into a search.
func describePlan(db *sqlx.DB, query string, rows []planRow) []protocol.PlanStep {
	aliases := map[string]string{} // alias or table name, lower case → table
	for _, m := range tableAlias.FindAllStringSubmatch(query, -1) {
		table := m[1]
		aliases[strings.ToLower(table)] = table
		if a := m[2]; a != "" && !sqlWords[strings.ToLower(a)] {
			aliases[strings.ToLower(a)] = table
		}
	}
	depth := map[int]int{0: -1}
	out := make([]protocol.PlanStep, 0, len(rows))
	for _, r := range rows {
		d := depth[r.Parent] + 1
		depth[r.ID] = d
		s := protocol.PlanStep{Depth: d, Detail: r.Detail, TempSort: tempSortStep.MatchString(r.Detail)}
		if m := scanStep.FindStringSubmatch(r.Detail); m != nil && m[1] != "CONSTANT" {
			if table, ok := aliases[strings.ToLower(m[1])]; ok {
				s.Scan = table
				s.Index = indexFor(db, query, table, m[1])
			}
		}
		out = append(out, s)
	}
	return out
}

// indexFor suggests the index that would let SQLite search table instead of
// scanning it for query: on the column the statement compares, preferring
// a foreign key's column (SQLite does not index the child side of a foreign
// key by itself). It returns "" when the statement compares no column of
// the table, or an index already leads with it.
func indexFor(db *sqlx.DB, query, table, name string) string {
	ctx := context.Background()
	cols, err := sqlite.Columns(ctx, db, "main", table)
	if err != nil {
		return ""
	}
	fks, _ := sqlite.ForeignKeys(ctx, db, "main", table)
	indexes, _ := sqlite.Indexes(ctx, db, "main", table)
	led := map[string]bool{}
	for _, ix := range indexes {
		if len(ix.Columns) > 0 {
			led[strings.ToLower(ix.Columns[0])] = true
		}
	}
	compared := func(col string) bool {
		c := regexp.QuoteMeta(col)
		q := `(?:(?:` + regexp.QuoteMeta(name) + `|` + regexp.QuoteMeta(table) + `)\.)?"?` + c + `"?`
		re := regexp.MustCompile(`(?i)(?:\b` + q + `\s*(?:=|IN\b|<|>|BETWEEN\b)|=\s*` + q + `\b)`)
		return re.MatchString(query)
	}
	var pick string
	for _, fk := range fks {
		if len(fk.From) == 1 && compared(fk.From[0]) && !led[strings.ToLower(fk.From[0])] {
			pick = fk.From[0]
			break
		}
	}
	if pick == "" {
		for _, c := range cols {
			if c.PK == 0 && compared(c.Name) && !led[strings.ToLower(c.Name)] {
				pick = c.Name
				break
			}
		}
	}
	if pick == "" {
		return ""
	}
	return fmt.Sprintf("CREATE INDEX %s_%s ON %s(%s)", table, pick, table, pick)
}

// judgePlans fails c, once for each of the check's rules, for the first
// statement shape whose plan breaks it.
func judgePlans(c *C, plans []protocol.Plan, r *dataResult) {
	for _, rule := range c.check.Plans {
		for _, p := range plans {
			bad := rule.broken(p)
			if len(bad) == 0 {
				continue
			}
			r.failures = append(r.failures, newFailure(c.data, protocol.KindPlan, explainPlan(rule, p, bad)))
			break
		}
	}
}

// explainPlan says which statement broke rule, shows its plan with the
// offending steps marked, and what would fix it.
func explainPlan(rule PlanRule, p protocol.Plan, bad []protocol.PlanStep) string {
	var b strings.Builder
	first := bad[0]
	if first.TempSort {
		fmt.Fprintf(&b, "Statement %d sorts its rows into a temporary B-tree (%s); the check asks that %s.\n", p.Seq, first.Detail, rule)
	} else {
		fmt.Fprintf(&b, "Statement %d reads every row of %s (%s); the check asks that %s.\n", p.Seq, first.Scan, first.Detail, rule)
	}
	fmt.Fprintf(&b, "    %s\n", p.Shape)
	b.WriteString("How SQLite runs it (EXPLAIN QUERY PLAN):\n")
	b.WriteString(p.Tree("  "))
	switch {
	case first.Index != "":
		fmt.Fprintf(&b, "An index on the column it looks rows up by turns the SCAN into a SEARCH:\n    %s", first.Index)
	case first.TempSort:
		b.WriteString("An index whose columns come in the ORDER BY's order (after the columns the WHERE fixes)\n" +
			"lets SQLite read the rows already sorted.")
	default:
		b.WriteString("Give the statement a condition on an indexed column, or index the column it filters by.")
	}
	return b.String()
}
