package fkindexes_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"workbook/checker"
	"workbook/internal/dataset"
	"workbook/internal/sqlite"
	fkindexes "workbook/lessons/16-index-foreign-keys"
)

// The checks run on the lesson's rows and on a variant with other people,
// whose entries interleave in time and were recorded out of date order.
var data = []string{"weights", "weights-variant"}

// plans are the rules every statement of the learner's must keep: find a
// user's entries through an index, in the index's order.
var plans = []checker.PlanRule{checker.NoScan("weight_entries"), checker.NoTempSort()}

// check runs body on an empty database holding the learner's schema with
// the data set's rows copied in.
func check(t *testing.T, name string, body func(c *checker.C)) {
	checker.Run(t, checker.Check{Name: name, Data: data, StartEmpty: true, Plans: plans}, func(c *checker.C) {
		c.NoError(fkindexes.CreateSchema(c.DB()), "CreateSchema(db)")
		c.LoadRows("users", "weight_entries")
		body(c)
	})
}

// within fails the check when the learner's code ran more than n
// statements since the first from of the log (CreateSchema's are not
// counted: a schema may have as many indexes as it needs), listing them.
func within(c *checker.C, from, n int, calls, why string) {
	sent := c.Statements()[from:]
	if len(sent) <= n {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s ran %d statements; the check allows %d. %s\n", calls, len(sent), n, why)
	for i, e := range sent {
		fmt.Fprintf(&b, "    %d. %s\n", i+1, strings.Join(strings.Fields(e.SQL), " "))
	}
	c.Errorf("%s", strings.TrimRight(b.String(), "\n"))
}

// user is a user of the data set, with how many entries they have.
type user struct {
	ID      string `db:"id"`
	Name    string `db:"name"`
	Entries int    `db:"entries"`
}

const userQuery = `SELECT u.id, u.name, (SELECT count(*) FROM weight_entries WHERE user_id = u.id) AS entries FROM users u `

// find returns the first user query finds, or stops.
func find(c *checker.C, what, query string) user {
	var us []user
	c.Query(&us, userQuery+query)
	if len(us) == 0 {
		c.Fatalf("Your tables do not hold %s, which the lesson's rows have: after CreateSchema\n"+
			"and the load, the rows should be there as they are in the data set.", what)
	}
	return us[0]
}

// deleteRule returns the ON DELETE rule of weight_entries.user_id's foreign
// key, in capitals, or "" without one.
func deleteRule(c *checker.C) string {
	var rules []string
	c.Query(&rules, `SELECT upper(on_delete) FROM pragma_foreign_key_list('weight_entries') WHERE "from" = 'user_id' AND "table" = 'users'`)
	if len(rules) != 1 {
		return ""
	}
	return rules[0]
}

func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

func TestProfileDeleteCascades(t *testing.T) {
	check(t, "profile-delete-cascades", func(c *checker.C) {
		from := len(c.Statements())
		u := find(c, "a user with entries", `ORDER BY entries DESC, u.email LIMIT 1`)
		before := c.Snapshot()
		err := fkindexes.DeleteProfile(c.DB(), u.ID)
		advice := fmt.Sprintf("%s has %s. They belong to %s: when the profile goes, they go with it.", u.Name, entries(u.Entries), u.Name)
		if deleteRule(c) != "CASCADE" {
			advice += "\nSay so on the foreign key: user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE."
		}
		c.NoErrorAdvice(err, fmt.Sprintf("DeleteProfile(db, %q), %s's profile", u.ID, u.Name), advice)
		if !c.ExpectChanges(before, checker.Changes{
			"users":          {Removed: fmt.Sprintf("id = '%s'", u.ID)},
			"weight_entries": {Removed: fmt.Sprintf("user_id = '%s'", u.ID)},
		}) {
			return
		}
		within(c, from, 1, "DeleteProfile", "With ON DELETE CASCADE on weight_entries.user_id it needs one,\n"+
			"  DELETE FROM users WHERE id = ?: SQLite deletes the entries inside it.")
		if rule := deleteRule(c); rule != "CASCADE" {
			said := "has no ON DELETE"
			if rule != "" {
				said = "says ON DELETE " + rule
			}
			c.Fatalf("DeleteProfile removed %s and %s, but weight_entries.user_id %s:\n"+
				"  your code deleted the entries itself. Let the foreign key carry the rule, so that every\n"+
				"  delete of a user, from any code, takes the entries with it:\n"+
				"      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE\n"+
				"  and DeleteProfile is then DELETE FROM users WHERE id = ?, one statement.",
				u.Name, entries(u.Entries), said)
		}
		// A user with no entries: nothing to cascade, and no error.
		var none []user
		c.Query(&none, userQuery+`WHERE NOT EXISTS (SELECT 1 FROM weight_entries WHERE user_id = u.id) ORDER BY u.email LIMIT 1`)
		if len(none) == 0 {
			return
		}
		before = c.Snapshot()
		c.NoError(fkindexes.DeleteProfile(c.DB(), none[0].ID), fmt.Sprintf("DeleteProfile(db, %q), %s, who has no entries", none[0].ID, none[0].Name))
		c.ExpectChanges(before, checker.Changes{"users": {Removed: fmt.Sprintf("id = '%s'", none[0].ID)}})
	})
}

func TestForeignKeysIndexed(t *testing.T) {
	check(t, "foreign-keys-indexed", func(c *checker.C) {
		if deleteRule(c) == "" {
			c.Fatalf("weight_entries.user_id has no foreign key to users(id): keep\n" +
				"      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE")
		}
		c.ExpectForeignKeysIndexed()
	})
}

func TestEntriesNewestFirst(t *testing.T) {
	check(t, "entries-newest-first", func(c *checker.C) {
		from := len(c.Statements())
		u := find(c, "a user with entries", `ORDER BY entries DESC, u.email LIMIT 1`)
		got, err := fkindexes.Entries(c.DB(), u.ID)
		c.NoError(err, fmt.Sprintf("Entries(db, %q)", u.ID))
		c.Expect(got, checker.OrderBy("recorded_at DESC"), checker.Noun("entry"), checker.Key("ID"))
		within(c, from, 1, "Entries", "One SELECT with WHERE user_id = ? and ORDER BY gives them all.")
		ordersItself(c, from, "Entries", "recorded_at")
		// The variant's user with no entries (the lesson's rows have none).
		var nones []user
		c.Query(&nones, userQuery+`WHERE NOT EXISTS (SELECT 1 FROM weight_entries WHERE user_id = u.id) ORDER BY u.email LIMIT 1`)
		if len(nones) == 0 {
			return
		}
		none := nones[0]
		got, err = fkindexes.Entries(c.DB(), none.ID)
		c.NoError(err, fmt.Sprintf("Entries(db, %q), %s, who has no entries", none.ID, none.Name))
		if len(got) > 0 {
			c.Errorf("Entries(db, %q) returned %s for %s, who has none: return an empty list.", none.ID, entries(len(got)), none.Name)
		}
	})
}

// ordersItself fails the check unless each of the learner's SELECTs says
// its order with an ORDER BY: an index can hand rows back in its order
// without one, which no query may count on (the checks read a query with
// no ORDER BY the other way round, and an index read backwards looks like
// newest first).
func ordersItself(c *checker.C, from int, call, column string) {
	for _, e := range c.Statements()[from:] {
		words := sqlite.Words(e.SQL)
		if len(words) == 0 || words[0] != "SELECT" && words[0] != "WITH" {
			continue
		}
		if !slices.Contains(words, "ORDER") {
			c.Fatalf("%s's query has no ORDER BY:\n    %s\n"+
				"  Its rows came in the order of the index SQLite read, which no query may count on: an\n"+
				"  index made another way, or another plan, gives another. Say the order: ORDER BY %s DESC\n"+
				"  (the index on (user_id, %s) still serves it, with no sorting).",
				call, strings.Join(strings.Fields(e.SQL), " "), column, column)
		}
	}
}

// limitsOrdered fails the check when a query of the learner's takes a
// LIMIT of rows that no ORDER BY of its own (sub)query puts in order: the
// row it keeps is then whichever SQLite reads first, which an index can make
// look right.
func limitsOrdered(c *checker.C, from int, call string) {
	token := regexp.MustCompile(`(?i)\(|\)|\bORDER\s+BY\b|\bLIMIT\b`)
	for _, e := range c.Statements()[from:] {
		ordered := []bool{false} // per parenthesis level
		for _, t := range token.FindAllString(e.SQL, -1) {
			switch t = strings.ToUpper(t); {
			case t == "(":
				ordered = append(ordered, false)
			case t == ")":
				if len(ordered) > 1 {
					ordered = ordered[:len(ordered)-1]
				}
			case t == "LIMIT":
				if !ordered[len(ordered)-1] {
					c.Fatalf("%s's query takes a LIMIT with no ORDER BY in the same SELECT:\n    %s\n"+
						"  The row it keeps is whichever SQLite reads first, here the first of the index it\n"+
						"  happened to use. Say which one you mean: ORDER BY recorded_at DESC LIMIT 1 (the index on\n"+
						"  (user_id, recorded_at), read backwards, serves it with no sorting).",
						call, strings.Join(strings.Fields(e.SQL), " "))
				}
			default:
				ordered[len(ordered)-1] = true
			}
		}
	}
}

func TestLatestPerUser(t *testing.T) {
	check(t, "latest-per-user", func(c *checker.C) {
		from := len(c.Statements())
		got, err := fkindexes.Latest(c.DB())
		c.NoError(err, "Latest(db)")
		c.Expect(got, checker.OrderBy("u.email"), checker.Noun("user"), checker.Key("Email"))
		within(c, from, 1, "Latest", "One SELECT from users, with each user's newest entry looked up, gives them all.")
		limitsOrdered(c, from, "Latest")
	})
}

func TestIDsAreUUIDs(t *testing.T) {
	check(t, "ids-are-uuids", func(c *checker.C) {
		from := len(c.Statements())
		before := c.Snapshot()
		var ids, calls []string
		keep := func(id string, err error, call string) string {
			c.NoError(err, call)
			if why := notUUID(id); why != "" {
				c.Fatalf("%s returned the id %q, which %s.\n"+
					"  The lesson's ids are random UUIDs made in Go, in the canonical form: 36 characters,\n"+
					"  lower-case hexadecimal digits in groups of 8-4-4-4-12, version 4 (random) or 7 (a\n"+
					"  timestamp, then random bits). uuid.NewString() of github.com/google/uuid makes one.", call, id, why)
			}
			if i := slices.Index(ids, id); i >= 0 {
				c.Fatalf("%s returned the id %s, which %s returned before: every row needs an id of its\n"+
					"  own. Make a new UUID in each call (uuid.NewString()), not once for the program.", call, id, calls[i])
			}
			ids, calls = append(ids, id), append(calls, call)
			return id
		}
		zoe, err := fkindexes.AddUser(c.DB(), "zoe@example.net", "Zoë", "kg")
		zoe = keep(zoe, err, `AddUser(db, "zoe@example.net", "Zoë", "kg")`)
		yann, err := fkindexes.AddUser(c.DB(), "yann@example.net", "Yann", "lbs")
		yann = keep(yann, err, `AddUser(db, "yann@example.net", "Yann", "lbs")`)
		for _, e := range []struct {
			user, who string
			weight    float64
			on        string
		}{{zoe, "zoe", 61.5, "2026-03-01"}, {zoe, "zoe", 61.2, "2026-03-08"}, {yann, "yann", 170.4, "2026-03-02"}} {
			id, err := fkindexes.AddEntry(c.DB(), e.user, e.weight, e.on)
			keep(id, err, fmt.Sprintf(`AddEntry(db, %s, %.1f, %q)`, e.who, e.weight, e.on))
		}
		quoted := func(ids []string) string {
			var q []string
			for _, id := range ids {
				q = append(q, "'"+id+"'")
			}
			return strings.Join(q, ", ")
		}
		c.ExpectChanges(before, checker.Changes{
			"users": {Added: 2, AddedWhere: fmt.Sprintf(`id IN (%s) AND email IN ('zoe@example.net', 'yann@example.net')
				AND (email = 'zoe@example.net') = (id = '%s') AND weight_unit = CASE email WHEN 'zoe@example.net' THEN 'kg' ELSE 'lbs' END`, quoted(ids[:2]), zoe)},
			"weight_entries": {Added: 3, AddedWhere: fmt.Sprintf(`id IN (%s) AND user_id = CASE recorded_at WHEN '2026-03-02' THEN '%s' ELSE '%s' END`,
				quoted(ids[2:]), yann, zoe)},
		})
		// What the schema refuses must come back as an error, with nothing added.
		before = c.Snapshot()
		if _, err := fkindexes.AddUser(c.DB(), "zoe@example.net", "Zoë again", "kg"); err == nil {
			c.Errorf(`AddUser(db, "zoe@example.net", "Zoë again", "kg") returned no error, but that email is taken:
  users.email is UNIQUE, so the INSERT was refused. Return its error.`)
		}
		if _, err := fkindexes.AddEntry(c.DB(), "no-such-user", 60, "2026-03-09"); err == nil {
			c.Errorf(`AddEntry(db, "no-such-user", 60.0, "2026-03-09") returned no error, but no user has that id:
  the foreign key refused the INSERT. Return its error.`)
		}
		c.ExpectChanges(before, checker.Changes{})
		within(c, from, 7, "Three AddUser and four AddEntry calls", "Each needs one INSERT.")
	})
}

// notUUID says how id is not a UUID of the form the lesson takes, or "".
func notUUID(id string) string {
	u, err := uuid.Parse(id)
	switch {
	case err != nil || len(id) != 36:
		return "is not a UUID in its canonical form (36 characters, 8-4-4-4-12 hexadecimal digits)"
	case id != u.String():
		return "has capitals: the canonical form is lower case, and a text key compares byte by byte"
	case u.Variant() != uuid.RFC4122:
		return fmt.Sprintf("is of the %s variant, not the RFC's", u.Variant())
	case u.Version() == 3 || u.Version() == 5:
		return fmt.Sprintf("is a version %d UUID, made from a name: the same name gives the same id, which\n"+
			"  anyone who knows the name can work out, and a second row of that name cannot have", u.Version())
	case u.Version() != 4 && u.Version() != 7:
		return fmt.Sprintf("is a version %d UUID", u.Version())
	}
	return ""
}

// The scale check's size: a few thousand users who weigh in about once a
// week for a year.
const (
	scaleUsers   = 3000
	scalePerUser = 50
)

func TestAtScale(t *testing.T) {
	// The body loads 150,000 entries before it calls the learner's code:
	// its time limit allows for that on a busy machine.
	checker.Run(t, checker.Check{Name: "at-scale", Data: []string{"weights"}, StartEmpty: true, Plans: plans, Timeout: 30 * time.Second},
		func(c *checker.C) {
			c.NoError(fkindexes.CreateSchema(c.DB()), "CreateSchema(db)")
			from := len(c.Statements())
			users, es := dataset.WeightsAtScale(scaleUsers, scalePerUser)
			for i := 0; i < len(users); i += 500 {
				var rows []string
				var args []any
				for _, u := range users[i:min(i+500, len(users))] {
					rows = append(rows, "(?, ?, ?, ?)")
					args = append(args, u.ID, u.Email, u.Name, u.Unit)
				}
				c.Exec(`INSERT INTO users (id, email, name, weight_unit) VALUES `+strings.Join(rows, ", "), args...)
			}
			for i := 0; i < len(es); i += 500 {
				var rows []string
				var args []any
				for _, e := range es[i:min(i+500, len(es))] {
					rows = append(rows, "(?, ?, ?, ?)")
					args = append(args, e.ID, e.UserID, e.Weight, e.RecordedAt)
				}
				c.Exec(`INSERT INTO weight_entries (id, user_id, weight, recorded_at) VALUES `+strings.Join(rows, ", "), args...)
			}

			u := users[1234]
			var want []fkindexes.Entry
			for _, e := range es {
				if e.UserID == u.ID {
					want = append(want, fkindexes.Entry{ID: e.ID, Weight: e.Weight, RecordedAt: e.RecordedAt})
				}
			}
			slices.Reverse(want) // es is in date order
			got, err := fkindexes.Entries(c.DB(), u.ID)
			c.NoError(err, fmt.Sprintf("Entries(db, %q)", u.ID))
			c.Equal(got, want, fmt.Sprintf("the entries of %s (%s), newest first", u.Name, u.Email))

			gone := users[2345]
			c.NoError(fkindexes.DeleteProfile(c.DB(), gone.ID), fmt.Sprintf("DeleteProfile(db, %q)", gone.ID))
			var left []int
			c.Query(&left, `SELECT count(*) FROM weight_entries`)
			if want := len(es) - scalePerUser; left[0] != want {
				c.Errorf("After DeleteProfile of %s, weight_entries holds %d entries, want %d (all but %s's %d).",
					gone.Email, left[0], want, gone.Name, scalePerUser)
			}
			if scanCost(c, from, len(es)) {
				// Latest would look each user's newest entry up with a scan of
				// its own: 3,000 scans, far past the check's time.
				return
			}
			latest, err := fkindexes.Latest(c.DB())
			c.NoError(err, "Latest(db)")
			if len(latest) != len(users)-1 {
				c.Errorf("Latest(db) returned %d users, want all %d left after the delete (each has entries).", len(latest), len(users)-1)
			} else if l, last := latest[1234], want[0]; l.Email != u.Email || l.RecordedAt != last.RecordedAt || l.Weight != last.Weight {
				c.Errorf("Latest(db)[1234] is %+v, want %s's entry of %s, %.1f %s.", l, u.Email, last.RecordedAt, last.Weight, u.Unit)
			}

			within(c, from, 3, "Entries, DeleteProfile and Latest", "Each needs one statement.")
		})
}

// scanCost fails the check when SQLite finds a deleted user's entries by
// reading all of them, saying what the learner's statements cost at this
// size, as measured while they ran, and reports whether it did.
func scanCost(c *checker.C, from, n int) bool {
	var plan []struct {
		ID, Parent, NotUsed int
		Detail              string
	}
	c.Query(&plan, `EXPLAIN QUERY PLAN SELECT 1 FROM weight_entries WHERE user_id = ?`, "")
	if len(plan) == 0 || !strings.HasPrefix(plan[0].Detail, "SCAN") {
		return false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "On %d users with %d entries each (%d entries), SQLite finds a user's entries by\n"+
		"  reading all of them (%s). What your calls took here:\n", scaleUsers, scalePerUser, n, plan[0].Detail)
	for _, e := range c.Statements()[from:] {
		fmt.Fprintf(&b, "      %-10s %s\n", e.Duration.Round(1000), strings.Join(strings.Fields(e.SQL), " "))
	}
	b.WriteString("  The DELETE's own plan says nothing of it: its ON DELETE CASCADE looks the entries up inside\n" +
		"  the statement. An index that starts with user_id makes each of those a SEARCH.\n" +
		"  (Latest was not run: it looks up each user's newest entry, and each lookup would read them all.)")
	c.Errorf("%s", b.String())
	return true
}
