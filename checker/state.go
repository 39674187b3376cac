package checker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"workbook/checker/rowdiff"
	"workbook/checker/stmtlog"
	"workbook/internal/protocol"
	"workbook/internal/sqlite"
)

// Snapshot is the state of every table at one moment, taken by
// [C.Snapshot] to compare with later.
type Snapshot struct {
	db      *sqlx.DB // an in-memory copy, for evaluating conditions on the past
	tables  map[string]*table
	objects []sqlite.Object // the schema's tables, indexes, views and triggers
	at      int             // the Seq of the log's last entry when it was taken
}

func (s *Snapshot) close() { s.db.Close() }

// Change says how one table may change. The zero Change allows none.
type Change struct {
	// Removed is an SQL condition on the table as it was: exactly the rows
	// it matched must be gone ("user_id = 1").
	Removed string
	// Added is exactly how many rows must be new.
	Added int
	// AddedWhere is an SQL condition on the table as it is now that every
	// new row must meet ("account_id = 1 AND amount_cents = 20000").
	AddedWhere string
	// Updated is an SQL condition on the table as it was: exactly the rows
	// it matched must now hold other values ("category_id = 4").
	Updated string
	// UpdatedWhere is an SQL condition on the table as it is now that every
	// updated row must meet ("category_id IS NULL").
	UpdatedWhere string
	// Created says the table must be new: absent before, present now. Every
	// row of a created table counts as added, so Added and AddedWhere apply
	// to all of them; Removed and Updated have nothing to match.
	Created bool
	// ReturnedBy names the learner's call that returned the id of the one
	// row it added ("RecordActivity(db, …)"), and ReturnedID is that id:
	// the added row's primary key must be it. A wrong id fails as a wrong
	// return value, apart from whether the row itself is right.
	ReturnedBy string
	ReturnedID int64
}

// Changes maps table names to how they may change. Tables it does not name
// must not change at all.
type Changes map[string]Change

// Snapshot records the state of every table of the database, to compare
// with after the learner's code writes.
func (c *C) Snapshot() *Snapshot {
	s, err := c.snapshot()
	if err != nil {
		c.ownFailure("snapshot", err)
	}
	c.mu.Lock()
	c.snapshots = append(c.snapshots, s)
	c.mu.Unlock()
	return s
}

// lastSeq returns the Seq of the log's last entry, or 0: the entries after
// it are those sent from now on.
func (c *C) lastSeq() int {
	if entries := c.log.Entries(); len(entries) > 0 {
		return entries[len(entries)-1].Seq
	}
	return 0
}

// entriesAfter returns the log's entries whose Seq is greater than seq.
func (c *C) entriesAfter(seq int) []stmtlog.Entry {
	var out []stmtlog.Entry
	for _, e := range c.log.Entries() {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

func (c *C) snapshot() (*Snapshot, error) {
	ctx := context.Background()
	mem := openOwn(":memory:")
	mem.SetMaxOpenConns(1) // one connection: the in-memory database lives in it
	mem.SetConnMaxLifetime(0)
	if err := backup(ctx, mem, c.ownDB()); err != nil {
		mem.Close()
		return nil, err
	}
	tables, err := loadTables(mem)
	if err != nil {
		mem.Close()
		return nil, err
	}
	objects, err := sqlite.Objects(ctx, mem, "main")
	if err != nil {
		mem.Close()
		return nil, err
	}
	return &Snapshot{db: mem, tables: tables, objects: objects, at: c.lastSeq()}, nil
}

// backup copies the database of src into dst with SQLite's backup API, page
// by page, so that rowids and everything else stay as they are.
func backup(ctx context.Context, dst, src *sqlx.DB) error {
	dc, err := dst.Conn(ctx)
	if err != nil {
		return err
	}
	defer dc.Close()
	sc, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()
	return dc.Raw(func(d any) error {
		return sc.Raw(func(s any) error {
			bk, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			if _, err := bk.Step(-1); err != nil {
				bk.Finish()
				return err
			}
			return bk.Finish()
		})
	})
}

// ExpectChanges compares the tables now with before, as changes allow, and
// reports whether they are as changes allow (the check fails when not).
func (c *C) ExpectChanges(before *Snapshot, changes Changes) bool {
	now, err := loadTables(c.ownDB())
	if err != nil {
		c.ownFailure("reading the tables", err)
	}
	names := tableNames(before.tables, now)
	for name, ch := range changes {
		switch {
		case ch.Created && now[name] == nil && before.tables[name] == nil:
			names = append(names, name) // compareTable says it is missing
		case before.tables[name] == nil && now[name] == nil:
			c.stop1(protocol.KindBroken, fmt.Sprintf("checker: Changes names table %q, which does not exist", name))
		}
	}
	sort.Strings(names)
	var problems []string
	returnedOK := true
	for _, name := range names {
		p, err := c.compareTable(name, before, now, changes[name])
		if err != nil {
			c.stop1(protocol.KindBroken, fmt.Sprintf("checker: table %s: %v", name, err))
		}
		problems = append(problems, p...)
		if why := returnedIDNote(name, before.tables[name], now[name], changes[name]); why != "" {
			c.fail(protocol.KindResult, why)
			returnedOK = false
		}
	}
	// Where the learner's code may change the schema, it may not change
	// it beyond the tables it creates (elsewhere schemaNote refuses any
	// change, and the check's own CREATE TRIGGER is its own).
	if len(problems) == 0 && (c.check.ChangesSchema || c.check.StartEmpty) {
		objects, err := sqlite.Objects(context.Background(), c.ownDB(), "main")
		if err != nil {
			c.ownFailure("reading the schema", err)
		}
		problems = schemaLeft(before.objects, objects, changes.created())
	}
	if len(problems) > 0 {
		msg := fmt.Sprintf("After %s, the tables are not as they should be:\n%s",
			c.callName(), indent(strings.Join(problems, "\n"), "  "))
		// A rollback is the cause when the check expected writes: a
		// rollback where nothing should change passes, and says nothing.
		if why := c.uncommitted(changes.writes()); why != "" {
			msg += "\n" + why
		} else if e, ok := c.lastFailedStatement(); ok && !changes.writes() && stmtlog.Writes(e.SQL) {
			// Nothing should change, and a write failed: the writes
			// before it stayed.
			msg += "\nWhat ran before the statement that failed stayed:\n" + c.outsideNote(c.log, e)
		}
		c.fail(protocol.KindState, msg)
		return false
	}
	if !returnedOK {
		return false
	}
	if !changes.writes() {
		if e, ok := keptWrite(c.log.Entries(), before.at); ok {
			c.fail(protocol.KindState, wroteBackNote("After "+c.callName()+", the tables hold what they held", e, c.log.Entries()))
			return false
		}
	}
	return true
}

// ExpectWritesNothing calls f, the learner's call (written as call in
// messages), and returns its error. A statement f sent that reported
// changing rows, and was kept (run outside a transaction, or in one that
// was committed), fails the check, even when the rows it wrote hold what
// they held: for a call that is to change nothing (tagging a book again),
// a row written back as it was is a change to SQLite all the same.
func (c *C) ExpectWritesNothing(call string, f func() error) error {
	at := c.lastSeq()
	err := f()
	if e, ok := keptWrite(c.log.Entries(), at); ok {
		c.fail(protocol.KindState, wroteBackNote(call+" was to change nothing", e, c.log.Entries()))
	}
	return err
}

// wroteBackNote explains a write e that changed rows where nothing was to
// change; head says what should have happened. A plain INSERT that a later
// write of entries took out again is explained as that: a row that was in
// the table for a while, not one written back as it was.
func wroteBackNote(head string, e stmtlog.Entry, entries []stmtlog.Entry) string {
	if plainInsert(e.SQL) {
		for _, later := range entries {
			if later.Seq > e.Seq && later.Kind == stmtlog.KindStatement && !later.Query && later.Err == "" &&
				later.Rows > 0 && undoes.MatchString(later.SQL) {
				return fmt.Sprintf("%s, but statement %d added %s and statement %d took it out again:\n    %s\n    %s\n"+
					"Between the two the row was in the table for anyone to read, and had the program stopped\n"+
					"there, it would have stayed. Make the writes one unit of work: in a transaction, rolled back\n"+
					"when a step fails, SQLite undoes them itself, with no statement of yours.",
					head, e.Seq, rowsWord(int(e.Rows)), later.Seq, clip(oneLine(e.SQL), 100), clip(oneLine(later.SQL), 100))
			}
		}
	}
	return fmt.Sprintf("%s, but statement %d reported changing %s:\n    %s\n"+
		"Rows written back as they were are a change to SQLite (triggers run, changes() counts them,\n"+
		"the journal records them) where nothing was to happen. Leave the rows alone: ON CONFLICT DO\n"+
		"NOTHING, or a condition that matches no row.", head, e.Seq, rowsWord(int(e.Rows)), clip(oneLine(e.SQL), 100))
}

var (
	insertInto = regexp.MustCompile(`(?i)^\s*INSERT\s+INTO\b`)
	doUpdate   = regexp.MustCompile(`(?i)\bDO\s+UPDATE\b`)
	// undoes matches a write that can take a row out again.
	undoes = regexp.MustCompile(`(?i)^\s*DELETE\b`)
)

// plainInsert reports whether query is an INSERT that only adds rows: not
// INSERT OR REPLACE, REPLACE or an upsert that updates.
func plainInsert(query string) bool {
	return insertInto.MatchString(query) && !doUpdate.MatchString(query)
}

// keptWrite returns the first write after the entry numbered after that
// changed rows and was kept: run outside any transaction, or in one that
// was committed.
func keptWrite(entries []stmtlog.Entry, after int) (stmtlog.Entry, bool) {
	var pending []stmtlog.Entry // writes of the open transaction
	depth := 0
	for _, e := range entries {
		if e.Seq <= after {
			continue
		}
		switch e.Kind {
		case stmtlog.KindBegin:
			depth++
		case stmtlog.KindCommit:
			if depth > 0 {
				depth--
			}
			if depth == 0 && len(pending) > 0 {
				return pending[0], true
			}
		case stmtlog.KindRollback:
			if rollbackTo.MatchString(e.SQL) {
				continue
			}
			depth, pending = 0, nil
		case stmtlog.KindStatement:
			if e.Query || e.Err != "" || e.Rows == 0 || !stmtlog.Writes(e.SQL) {
				continue
			}
			if depth == 0 && !e.InTx {
				return e, true
			}
			pending = append(pending, e)
		}
	}
	return stmtlog.Entry{}, false
}

const maxRowsShown = 5

// writes reports whether changes expect any table to change.
func (changes Changes) writes() bool {
	for _, ch := range changes {
		if ch != (Change{}) {
			return true
		}
	}
	return false
}

// created returns the tables changes says are created.
func (changes Changes) created() map[string]bool {
	out := map[string]bool{}
	for name, ch := range changes {
		if ch.Created {
			out[strings.ToLower(name)] = true
		}
	}
	return out
}

// schemaLeft lists, one line each, the indexes, triggers and views that
// differ between was and is, on tables other than those created (whose
// indexes are theirs to choose): an index a migration made on a table it
// was to leave as it is, and kept, or one it dropped.
func schemaLeft(was, is []sqlite.Object, created map[string]bool) []string {
	key := func(o sqlite.Object) string { return o.Type + " " + strings.ToLower(o.Name) }
	before := map[string]sqlite.Object{}
	for _, o := range was {
		before[key(o)] = o
	}
	var out []string
	for _, o := range is {
		w, ok := before[key(o)]
		delete(before, key(o))
		switch {
		case o.Type == "table" || created[strings.ToLower(o.Table)]:
		case !ok:
			out = append(out, fmt.Sprintf("%s: the %s %s was created, and kept: %s", o.Table, o.Type, o.Name, oneLine(o.SQL)))
		case w.SQL != o.SQL:
			out = append(out, fmt.Sprintf("%s: the %s %s was changed, now: %s", o.Table, o.Type, o.Name, oneLine(o.SQL)))
		}
	}
	for _, o := range was {
		if _, gone := before[key(o)]; gone && o.Type != "table" && !created[strings.ToLower(o.Table)] {
			out = append(out, fmt.Sprintf("%s: the %s %s was dropped", o.Table, o.Type, o.Name))
		}
	}
	sort.Strings(out)
	return out
}

func (c *C) compareTable(name string, before *Snapshot, now map[string]*table, ch Change) ([]string, error) {
	was, is := before.tables[name], now[name]
	switch {
	case ch.Created && was != nil:
		return nil, errors.New("Changes says it is Created, but it existed before")
	case ch.Created && (ch.Removed != "" || ch.Updated != ""):
		return nil, errors.New("Changes says it is Created, and a new table has no rows to remove or update")
	case ch.Created && is == nil:
		return []string{fmt.Sprintf("table %s should have been created; it does not exist", name)}, nil
	case ch.Created:
		was = &table{name: name, keyCols: is.keyCols, rows: map[string]*rowdiff.Object{}}
	case was == nil:
		return []string{fmt.Sprintf("table %s was created; it should not exist", name)}, nil
	case is == nil:
		return []string{fmt.Sprintf("table %s was dropped; it should still be there", name)}, nil
	}
	removed, added, updated := diffRows(was, is)
	var out []string

	wantRemoved, err := matching(before.db, was, ch.Removed)
	if err != nil {
		return nil, fmt.Errorf("the Removed condition %q: %w", ch.Removed, err)
	}
	stillThere := minus(wantRemoved, removed)
	if len(stillThere) > 0 {
		lead := fmt.Sprintf("%s: %s where %s should have been removed; still there:", name, rowsWord(len(wantRemoved)), ch.Removed)
		if len(stillThere) < len(wantRemoved) {
			lead = fmt.Sprintf("%s: %s where %s should have been removed; %d of them are still there:",
				name, rowsWord(len(wantRemoved)), ch.Removed, len(stillThere))
		}
		out = append(out, lead)
		out = append(out, showRows(was, stillThere)...)
	}
	if extra := minus(removed, wantRemoved); len(extra) > 0 {
		out = append(out, fmt.Sprintf("%s: %s removed that should have been kept:", name, rowsWord(len(extra))))
		out = append(out, showRows(was, extra)...)
	}

	if len(added) != ch.Added {
		want := "none"
		if ch.Added > 0 {
			want = strconv.Itoa(ch.Added)
		}
		out = append(out, fmt.Sprintf("%s: %s added, want %s", name, rowsWord(len(added)), want)+colonIf(len(added) > 0))
		out = append(out, showRows(is, added)...)
	} else if ch.AddedWhere != "" && len(added) > 0 {
		ok, err := matching(c.ownDB(), is, ch.AddedWhere)
		if err != nil {
			return nil, fmt.Errorf("the AddedWhere condition %q: %w", ch.AddedWhere, err)
		}
		if bad := minus(added, ok); len(bad) > 0 {
			out = append(out, fmt.Sprintf("%s: the added row should have %s, but it is:", name, ch.AddedWhere))
			out = append(out, showRows(is, bad)...)
		}
	}

	wantUpdated, err := matching(before.db, was, ch.Updated)
	if err != nil {
		return nil, fmt.Errorf("the Updated condition %q: %w", ch.Updated, err)
	}
	wantUpdated = minus(wantUpdated, removed)
	if missed := minus(wantUpdated, updated); len(missed) > 0 {
		out = append(out, fmt.Sprintf("%s: %s where %s should have changed; unchanged:", name, rowsWord(len(wantUpdated)), ch.Updated))
		out = append(out, showRows(was, missed)...)
	}
	if extra := minus(updated, wantUpdated); len(extra) > 0 {
		out = append(out, fmt.Sprintf("%s: %s changed that should have been left alone:", name, rowsWord(len(extra))))
		out = append(out, showChanges(was, is, extra)...)
	}
	if ch.UpdatedWhere != "" {
		ok, err := matching(c.ownDB(), is, ch.UpdatedWhere)
		if err != nil {
			return nil, fmt.Errorf("the UpdatedWhere condition %q: %w", ch.UpdatedWhere, err)
		}
		if bad := minus(intersect(updated, wantUpdated), ok); len(bad) > 0 {
			out = append(out, fmt.Sprintf("%s: changed rows should have %s, but they are:", name, ch.UpdatedWhere))
			out = append(out, showChanges(was, is, bad)...)
		}
	}
	return out, nil
}

// returnedIDNote explains, when the call ch.ReturnedBy names added one
// row to the table (was before, is now) and returned an id that is not
// that row's, what it returned and what it should have: "" otherwise.
func returnedIDNote(name string, was, is *table, ch Change) string {
	if ch.ReturnedBy == "" || is == nil || len(is.keyCols) != 1 {
		return ""
	}
	if was == nil {
		was = &table{rows: map[string]*rowdiff.Object{}}
	}
	_, added, _ := diffRows(was, is)
	if len(added) != 1 {
		return ""
	}
	row := is.rows[added[0]]
	key := is.keyCols[0]
	if fmt.Sprint(row.Values[key]) == strconv.FormatInt(ch.ReturnedID, 10) {
		return ""
	}
	msg := fmt.Sprintf("%s returned %d, but the row it added to %s has %s %v:\n  %s\n"+
		"Return the new row's own id: res.LastInsertId() after the INSERT, or INSERT … RETURNING %s.",
		ch.ReturnedBy, ch.ReturnedID, name, key, showValue(row.Values[key]), rowdiff.Format(row, 140), key)
	if ch.ReturnedID == 1 {
		msg += "\n(1 is how many rows an INSERT of one row affects: res.RowsAffected() counts rows, it is no id.)"
	}
	return msg
}

func colonIf(b bool) string {
	if b {
		return ":"
	}
	return ""
}

func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

func showRows(t *table, keys []string) []string {
	var out []string
	for i, k := range keys {
		if i == maxRowsShown {
			out = append(out, fmt.Sprintf("  … and %d more", len(keys)-i))
			break
		}
		out = append(out, "  "+rowdiff.Format(t.rows[k], 140))
	}
	return out
}

func showChanges(was, is *table, keys []string) []string {
	var out []string
	for i, k := range keys {
		if i == maxRowsShown {
			out = append(out, fmt.Sprintf("  … and %d more", len(keys)-i))
			break
		}
		d := rowdiff.Compare(is.rows[k], was.rows[k], rowdiff.Options{})
		line := "  " + rowdiff.Format(was.rows[k], 100)
		if d != nil {
			line += ": " + strings.ReplaceAll(strings.Join(d.Lines, "; "), ", want ", ", was ")
		}
		out = append(out, line)
	}
	return out
}

// table is one table's rows, keyed by primary key (or rowid).
type table struct {
	name    string
	keyCols []string // empty: keyed by rowid
	keys    []string // in the table's order
	rows    map[string]*rowdiff.Object
}

func tableNames(a, b map[string]*table) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range []map[string]*table{a, b} {
		for n := range m {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

func loadTables(db *sqlx.DB) (map[string]*table, error) {
	names, err := sqlite.Tables(context.Background(), db, "main")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := map[string]*table{}
	for _, n := range names {
		t, err := loadTable(db, n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		out[n] = t
	}
	return out, nil
}

func loadTable(db *sqlx.DB, name string) (*table, error) {
	r, err := sqlite.ReadKeyedRows(context.Background(), db, "main", name)
	if err != nil {
		return nil, err
	}
	t := &table{name: name, keyCols: r.KeyColumns, keys: r.Keys, rows: map[string]*rowdiff.Object{}}
	for _, key := range r.Keys {
		obj := &rowdiff.Object{Keys: slices.Clip(r.Columns), Values: map[string]any{}}
		for i, col := range r.Columns {
			obj.Values[col] = jsonValue(r.Rows[key][i])
		}
		t.rows[key] = obj
	}
	return t, nil
}

// matching returns the keys of t's rows that meet cond in db; none for "".
func matching(db *sqlx.DB, t *table, cond string) ([]string, error) {
	if cond == "" {
		return nil, nil
	}
	keyExpr := `rowid`
	if len(t.keyCols) > 0 {
		keyExpr = quoteList(t.keyCols)
	}
	var keys []string
	err := db.Select(&keys, fmt.Sprintf(`SELECT json_array(%s) FROM %q WHERE %s`, keyExpr, t.name, cond))
	return keys, err
}

func quoteList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, ", ")
}

func asText(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// jsonValue converts a column value to the value model of package rowdiff.
func jsonValue(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case int64:
		return json.Number(strconv.FormatInt(v, 10))
	case float64:
		return json.Number(strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		return v
	case []byte:
		return string(v)
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func minus(a, b []string) []string {
	drop := map[string]bool{}
	for _, k := range b {
		drop[k] = true
	}
	var out []string
	for _, k := range a {
		if !drop[k] {
			out = append(out, k)
		}
	}
	return out
}

func intersect(a, b []string) []string {
	keep := map[string]bool{}
	for _, k := range b {
		keep[k] = true
	}
	var out []string
	for _, k := range a {
		if keep[k] {
			out = append(out, k)
		}
	}
	return out
}

// diffRows returns the keys of the rows that are in was and not in is
// (removed), in is and not in was (added), and in both with other values
// (updated), each in its table's key order.
func diffRows(was, is *table) (removed, added, updated []string) {
	for _, k := range was.keys {
		if _, ok := is.rows[k]; !ok {
			removed = append(removed, k)
		} else if !rowdiff.Equal(was.rows[k], is.rows[k]) {
			updated = append(updated, k)
		}
	}
	for _, k := range is.keys {
		if _, ok := was.rows[k]; !ok {
			added = append(added, k)
		}
	}
	return removed, added, updated
}
