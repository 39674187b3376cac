package dataset

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/sqlite"
)

// TestFresh proves that a fresh set differs from its variant, is the same
// for the same seed, and keeps the traps the lessons rely on.
func TestFresh(t *testing.T) {
	traps := map[string][]struct{ name, query string }{
		"budget": {
			{"a user without expenses", `SELECT count(*) > 0 FROM users WHERE id NOT IN (SELECT user_id FROM expenses)`},
			{"a user with three equal category totals", `SELECT count(*) > 0 FROM (SELECT user_id, total FROM (SELECT user_id, category_id, sum(amount_cents) AS total FROM expenses GROUP BY 1, 2) GROUP BY 1, 2 HAVING count(*) >= 3)`},
			{"two Food expenses of the same amount", `SELECT count(*) > 0 FROM (SELECT amount_cents FROM expenses JOIN categories c ON c.id = category_id WHERE c.name = 'Food' GROUP BY 1 HAVING count(*) > 1)`},
			// Lesson 5's first user: sum(DISTINCT e.amount_cents) adds one of the two.
			{"two equal expenses in one category of the first user with expenses", `SELECT count(*) > 0 FROM (SELECT category_id, amount_cents FROM expenses
				WHERE user_id = (SELECT min(user_id) FROM expenses) GROUP BY 1, 2 HAVING count(*) > 1)`},
			// Lessons 4 and 5 look rows up by a name or an email: each has a
			// twin in other letters (LIKE, COLLATE NOCASE and lower() take
			// both), lesson 4's a name that contains it, and lesson 5's
			// subjects a namesake who has spent.
			{"an email of the first user with expenses in other letters, with expenses", `SELECT count(DISTINCT user_id) > 1 FROM expenses JOIN users u ON u.id = user_id
				WHERE lower(u.email) = (SELECT lower(email) FROM users WHERE id = (SELECT min(user_id) FROM expenses))`},
			{"a namesake with expenses of the first user without", `SELECT count(*) > 0 FROM users a JOIN users b ON b.name = a.name AND b.id != a.id
				WHERE a.id = (SELECT min(id) FROM users WHERE id NOT IN (SELECT user_id FROM expenses)) AND b.id IN (SELECT user_id FROM expenses)`},
			{"Food in other letters, with expenses", `SELECT count(*) > 0 FROM categories c JOIN expenses e ON e.category_id = c.id WHERE c.name != 'Food' AND lower(c.name) = 'food'`},
			{"a name that contains Food, with expenses", `SELECT count(*) > 0 FROM categories c JOIN expenses e ON e.category_id = c.id WHERE c.name != 'Food' AND c.name LIKE '%Food%'`},
			{"the users lesson 9 names", `SELECT count(*) = 2 FROM users WHERE email IN ('omar@example.net', 'priya_k@example.net')`},
			// Lesson 11: once the last expense is deleted, SQLite gives its
			// id to the next one inserted.
			{"the last two expense ids consecutive", `SELECT max(id) - 1 IN (SELECT id FROM expenses) FROM expenses`},
		},
		"bank": {
			{"a NULL grade", `SELECT count(*) > 0 FROM enrollment WHERE grade IS NULL`},
			// Lesson 13: count(DISTINCT e.grade) counts them once. Enrolled on
			// two dates, so that a cloned student's copy of a row is not enough.
			{"two students with the same grade in one course", `SELECT count(*) > 0 FROM (SELECT course_id, grade FROM enrollment WHERE grade IS NOT NULL
				GROUP BY 1, 2 HAVING count(DISTINCT student_id) > 1 AND count(DISTINCT enrolled_at) > 1)`},
			// Lesson 13's roster: the course's code in other letters, with a
			// student, and two students of one name in the course.
			{"the roster's course code in other letters, with a student", `WITH r AS (SELECT c.code FROM courses c JOIN enrollment e ON e.course_id = c.id
				WHERE e.grade IS NULL ORDER BY c.code LIMIT 1)
				SELECT count(*) > 0 FROM courses c JOIN enrollment e ON e.course_id = c.id, r WHERE c.code != r.code AND lower(c.code) = lower(r.code)`},
			{"two students of one name in the roster's course", `WITH r AS (SELECT c.id FROM courses c JOIN enrollment e ON e.course_id = c.id
				WHERE e.grade IS NULL ORDER BY c.code LIMIT 1)
				SELECT count(*) > 0 FROM (SELECT s.name FROM enrollment e JOIN students s ON s.id = e.student_id, r WHERE e.course_id = r.id GROUP BY s.name HAVING count(*) > 1)`},
			{"a deposit of exactly $750", `SELECT count(*) > 0 FROM activity WHERE activity_type = 'DEP' AND amount_cents = 75000`},
			{"a name with two emails in the log", `SELECT count(*) > 0 FROM (SELECT owner FROM activity_log GROUP BY owner HAVING count(DISTINCT owner_email) > 1)`},
			{"lesson 14's holder", `SELECT count(*) = 1 FROM accounts WHERE email = 'larry@example.net'`},
		},
		"library": {
			{"the award winner tag", `SELECT count(*) > 0 FROM book_tag JOIN tags ON tags.id = tag_id WHERE tags.name = 'award winner'`},
			{"a tag whose name contains fantasy, on a book", `SELECT count(*) > 0 FROM tags t JOIN book_tag bt ON bt.tag_id = t.id WHERE t.name != 'fantasy' AND t.name LIKE '%fantasy%'`},
			{"a book with no tags", `SELECT count(*) > 0 FROM books b WHERE NOT EXISTS (SELECT 1 FROM book_tag WHERE book_id = b.id)`},
		},
		"weights": {
			{"a user with no entries", `SELECT count(*) > 0 FROM users u WHERE NOT EXISTS (SELECT 1 FROM weight_entries WHERE user_id = u.id)`},
			// Lesson 16: two users' entries interleave in time, so that
			// neither one user's nor the other's dates come first.
			{"two users whose entries interleave", `SELECT count(*) > 0 FROM users a JOIN users b ON a.id < b.id
				WHERE (SELECT min(recorded_at) FROM weight_entries WHERE user_id = a.id) < (SELECT max(recorded_at) FROM weight_entries WHERE user_id = b.id)
				AND (SELECT min(recorded_at) FROM weight_entries WHERE user_id = b.id) < (SELECT max(recorded_at) FROM weight_entries WHERE user_id = a.id)`},
			{"entries recorded out of date order", `SELECT count(*) > 0 FROM weight_entries a JOIN weight_entries b ON b.user_id = a.user_id AND b.rowid > a.rowid AND b.recorded_at < a.recorded_at`},
			{"no user with two entries on one day", `SELECT count(*) = 0 FROM (SELECT 1 FROM weight_entries GROUP BY user_id, recorded_at HAVING count(*) > 1)`},
			{"users added in neither the order of their emails nor its reverse", `SELECT count(*) > 0 FROM users a JOIN users b ON b.rowid > a.rowid JOIN users c ON c.rowid > b.rowid
				WHERE (a.email < b.email) != (b.email < c.email)`},
			{"ids that are version 4 UUIDs", `SELECT count(*) = 0 FROM (SELECT id FROM users UNION ALL SELECT id FROM weight_entries)
				WHERE id NOT GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-4[0-9a-f][0-9a-f][0-9a-f]-[89ab][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'`},
		},
		"cascade": {
			{"a user with none of their own but sharing", `SELECT count(*) > 0 FROM users u WHERE NOT EXISTS (SELECT 1 FROM expenses WHERE user_id = u.id) AND EXISTS (SELECT 1 FROM expenses WHERE split_with = u.id)`},
			{"an unused category", `SELECT count(*) > 0 FROM categories c WHERE NOT EXISTS (SELECT 1 FROM expenses WHERE category_id = c.id)`},
		},
	}
	for family, checks := range traps {
		t.Run(family, func(t *testing.T) {
			src := filepath.Join(dataDir, family+"-variant.db")
			dir := t.TempDir()
			a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
			for _, p := range []string{a, b} {
				if err := Fresh(family, src, p, 42); err != nil {
					t.Fatal(err)
				}
			}
			if err := Fresh(family, src, c, 43); err != nil {
				t.Fatal(err)
			}
			da, _ := Dump(a)
			db, _ := Dump(b)
			dc, _ := Dump(c)
			dv, _ := Dump(src)
			if da != db {
				t.Errorf("seed 42 gave two different sets")
			}
			if da == dc || da == dv {
				t.Errorf("a fresh set is the same as another seed's or as the variant")
			}
			// Every seed keeps every trap: a grading draws its seed at random.
			for seed := uint64(42); seed < 50; seed++ {
				p := filepath.Join(dir, fmt.Sprintf("seed-%d.db", seed))
				if err := Fresh(family, src, p, seed); err != nil {
					t.Fatal(err)
				}
				conn, err := sql.Open("sqlite3", sqlite.DSN(p, sqlite.Options{ReadOnly: true}))
				if err != nil {
					t.Fatal(err)
				}
				for _, tr := range checks {
					var ok bool
					if err := conn.QueryRow(tr.query).Scan(&ok); err != nil {
						t.Fatalf("%s: %v", tr.name, err)
					}
					if !ok {
						dump, _ := Dump(p)
						t.Errorf("the fresh set of seed %d lost the trap: %s\n%s", seed, tr.name, dump)
					}
				}
				conn.Close()
			}
		})
	}
}

// TestFreshSameVerdicts proves that seeds change what a fresh set's rows
// say and never how they compare: with ids made dense, the seed's word
// taken off every renamed value and every scaled column divided by its
// greatest common divisor, the sets of six seeds are one set. An answer
// that passes on one seed's set therefore passes on every seed's.
func TestFreshSameVerdicts(t *testing.T) {
	for family := range freshSpecs {
		t.Run(family, func(t *testing.T) {
			src := filepath.Join(dataDir, family+"-variant.db")
			dir := t.TempDir()
			var first string
			for i, seed := range []uint64{1, 2, 3, 42, 1 << 40, 0xdeadbeef} {
				p := filepath.Join(dir, fmt.Sprintf("%d.db", i))
				if err := Fresh(family, src, p, seed); err != nil {
					t.Fatal(err)
				}
				normalize(t, family, p)
				d, err := Dump(p)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = d
					continue
				}
				if d != first {
					t.Errorf("seed %d's set compares otherwise than seed 1's:\n%s\nagainst\n%s", seed, d, first)
				}
			}
		})
	}
}

// normalize rewrites the fresh set at path as the seed's choices undone.
func normalize(t *testing.T, family, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", sqlite.DSN(path, sqlite.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("PRAGMA foreign_keys = OFF")
	spec := freshSpecs[family]
	for _, tc := range spec.rename {
		tb, c := split(tc)
		var words int
		if err := db.QueryRow(fmt.Sprintf("SELECT count(DISTINCT substr(%s, 1, instr(%s, ' '))) FROM %s", c, c, tb)).Scan(&words); err != nil {
			t.Fatal(err)
		}
		if words != 1 {
			t.Fatalf("%s begins with %d words, not one", tc, words)
		}
		exec(fmt.Sprintf("UPDATE %s SET %s = substr(%s, instr(%s, ' ') + 1)", tb, c, c, c))
	}
	for _, tc := range spec.scale {
		tb, c := split(tc)
		var vs []int64
		if err := queryInts(ctx, db, &vs, fmt.Sprintf("SELECT %s FROM %s", c, tb)); err != nil {
			t.Fatal(err)
		}
		g := int64(0)
		for _, v := range vs {
			for b := max(v, -v); b != 0; g, b = b, g%b {
			}
		}
		if g > 1 {
			exec(fmt.Sprintf("UPDATE %s SET %s = %s / ?", tb, c, c), g)
		}
	}
	tables, err := sqlite.Tables(ctx, db, "main")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range spec.rekey {
		// The UUIDs drawn, as their ranks.
		exec("DROP TABLE IF EXISTS temp.ranks")
		exec(fmt.Sprintf("CREATE TEMP TABLE ranks AS SELECT id AS old, printf('key-%%06d', row_number() OVER (ORDER BY id)) AS new FROM %s", tb))
		exec(fmt.Sprintf("UPDATE %s SET id = (SELECT new FROM ranks WHERE old = id)", tb))
		for _, child := range tables {
			fks, err := sqlite.ForeignKeys(ctx, db, "main", child)
			if err != nil {
				t.Fatal(err)
			}
			for _, fk := range fks {
				if fk.Parent == tb && len(fk.From) == 1 {
					c := fk.From[0]
					exec(fmt.Sprintf("UPDATE %s SET %s = (SELECT new FROM ranks WHERE old = %s)", child, c, c))
				}
			}
		}
	}
	for _, tb := range tables {
		pk, err := sqlite.PrimaryKey(ctx, db, "main", tb)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := sqlite.Columns(ctx, db, "main", tb)
		if err != nil {
			t.Fatal(err)
		}
		intKey := false
		for _, c := range cols {
			intKey = intKey || (len(pk) == 1 && c.Name == pk[0] && strings.EqualFold(c.Type, "INTEGER"))
		}
		if !intKey {
			continue
		}
		key := pk[0]
		exec("DROP TABLE IF EXISTS temp.dense")
		exec(fmt.Sprintf("CREATE TEMP TABLE dense AS SELECT %s AS old, row_number() OVER (ORDER BY %s) AS new FROM %s", key, key, tb))
		exec(fmt.Sprintf("UPDATE %s SET %s = -(SELECT new FROM dense WHERE old = %s)", tb, key, key))
		exec(fmt.Sprintf("UPDATE %s SET %s = -%s", tb, key, key))
		for _, child := range tables {
			fks, err := sqlite.ForeignKeys(ctx, db, "main", child)
			if err != nil {
				t.Fatal(err)
			}
			for _, fk := range fks {
				if fk.Parent != tb || len(fk.From) != 1 {
					continue
				}
				c := fk.From[0]
				exec(fmt.Sprintf("UPDATE %s SET %s = -(SELECT new FROM dense WHERE old = %s) WHERE %s IS NOT NULL", child, c, c, c))
				exec(fmt.Sprintf("UPDATE %s SET %s = -%s WHERE %s IS NOT NULL", child, c, c, c))
			}
		}
	}
}
