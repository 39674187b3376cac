package dataset

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

const dataDir = "../../data"

// TestShippedDatabasesMatchSources proves that every database in data/ holds
// exactly what its schema and seed (or generator) build.
func TestShippedDatabasesMatchSources(t *testing.T) {
	for _, s := range Sets {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			built := filepath.Join(t.TempDir(), s.Name+".db")
			if err := Build(dataDir, s, built); err != nil {
				t.Fatal(err)
			}
			want, err := Dump(built)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(s.File(dataDir)); err != nil {
				t.Fatalf("%v (run: go run ./cmd/workbook dev data)", err)
			}
			got, err := Dump(s.File(dataDir))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s differs from what its source builds (run: go run ./cmd/workbook dev data)", s.File(dataDir))
			}
		})
	}
}

// TestFigures checks the figures the lessons and their source texts quote.
func TestFigures(t *testing.T) {
	tests := []struct {
		set, query string
		want       string
	}{
		{"budget", `SELECT group_concat(description || ' ' || amount_cents || ' ' || c.name, ', ') FROM expenses e
			JOIN categories c ON c.id = e.category_id WHERE user_id = 1 ORDER BY e.id`,
			"Groceries 5250 Food, Lunch 1875 Food, Gas 4500 Transportation"},
		{"budget", `SELECT sum(amount_cents) FROM expenses WHERE user_id = (SELECT id FROM users WHERE email = 'alice@example.com')`, "11625"},
		{"budget", `SELECT group_concat(c.name || ' ' || t, ', ') FROM (SELECT category_id, sum(amount_cents) AS t FROM expenses
			WHERE user_id = 1 GROUP BY category_id) JOIN categories c ON c.id = category_id`, "Food 7125, Transportation 4500"},
		{"budget", `SELECT group_concat(c.name || ' ' || t, ', ') FROM (SELECT category_id, sum(amount_cents) AS t FROM expenses
			WHERE user_id = (SELECT id FROM users WHERE email = 'bob@example.com') GROUP BY category_id) JOIN categories c ON c.id = category_id`,
			"Food 5500, Entertainment 5000"},
		{"budget", `SELECT group_concat(id) FROM expenses WHERE user_id = 2 ORDER BY id`, "5,6,7"},
		{"budget", `SELECT u.name || ' ' || c.name FROM expenses e JOIN users u ON u.id = e.user_id
			JOIN categories c ON c.id = e.category_id WHERE e.id = 1`, "Alice Food"},
		{"budget", `SELECT count(*) FROM users WHERE id NOT IN (SELECT user_id FROM expenses)`, "1"},
		{"budget", `SELECT group_concat(x, ', ') FROM (SELECT c.name || ' ' || t AS x FROM (SELECT category_id, sum(amount_cents) AS t
			FROM expenses WHERE user_id = (SELECT id FROM users WHERE email = 'frank@example.com') GROUP BY category_id)
			JOIN categories c ON c.id = category_id ORDER BY t DESC, c.name)`, "Entertainment 3200, Health 3200, Utilities 3200"},
		{"budget-variant", `SELECT group_concat(x, ', ') FROM (SELECT c.name || ' ' || t AS x FROM (SELECT category_id, sum(amount_cents) AS t
			FROM expenses WHERE user_id = (SELECT id FROM users WHERE email = 'lena@example.net') GROUP BY category_id)
			JOIN categories c ON c.id = category_id ORDER BY t DESC, c.name)`, "Books 4410, Food Delivery 4410, Utilities 4410, Transportation 3675, Food 640"},
		{"budget-1000", `SELECT sum(amount_cents) FROM expenses WHERE user_id = 1`, "11625"},
		{"budget-10000", `SELECT count(*) FROM users`, "10000"},
		// Lesson 15's README: the expenses, and the users who spent nothing.
		{"budget-10000", `SELECT count(*) || ' ' || (SELECT count(*) FROM users WHERE id NOT IN (SELECT user_id FROM expenses)) FROM expenses`, "30469 1273"},
		// The last user of every size spends: a list cut one short of a
		// round number leaves out someone's expenses.
		{"budget-1000", `SELECT count(DISTINCT user_id) FROM expenses WHERE user_id IN (10, 100, 1000)`, "3"},
		{"budget-10000", `SELECT count(DISTINCT user_id) FROM expenses WHERE user_id IN (10, 100, 1000, 10000)`, "4"},
		// Lesson 8's table: what the IN list of lesson 7 and one LEFT JOIN
		// send back at 1,000 users, counting 8 bytes per integer and the
		// bytes of each text.
		{"budget-1000", `SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM expenses) || ' ' ||
			(SELECT count(*) FROM users WHERE id NOT IN (SELECT user_id FROM expenses)) || ' ' ||
			(SELECT count(*) FROM users u LEFT JOIN expenses e ON e.user_id = u.id)`, "1000 3066 117 3183"},
		{"budget-1000", `SELECT (SELECT sum(8 + length(CAST(name AS BLOB))) FROM users) +
			(SELECT sum(4*8 + length(CAST(description AS BLOB))) FROM expenses)`, "139016"},
		{"budget-1000", `SELECT sum(8 + length(CAST(u.name AS BLOB)) + CASE WHEN e.id IS NULL THEN 0 ELSE 3*8 + length(CAST(e.description AS BLOB)) END)
			FROM users u LEFT JOIN expenses e ON e.user_id = u.id`, "156945"},
		{"budget-1000", `SELECT (SELECT sum(length(CAST(name AS BLOB))) FROM users) || ' ' ||
			(SELECT sum(length(CAST(u.name AS BLOB))) FROM users u LEFT JOIN expenses e ON e.user_id = u.id)`, "11430 36423"},
		{"bank", `SELECT group_concat(account_id || ' ' || activity_type || ' ' || amount_cents, ', ') FROM activity WHERE id <= 5 ORDER BY id`,
			"1 DEP 50000, 1 WD 10000, 1 DEP 5000, 2 DEP 25000, 2 WD 3000"},
		{"bank", `SELECT group_concat(owner, ', ') FROM accounts WHERE id <= 3 ORDER BY id`, "SpongeBob, Squidward, Patrick"},
		{"bank", `SELECT count(*) FROM activity WHERE account_id = 3`, "0"},
		{"bank", `SELECT group_concat(owner || ' ' || n, ', ') FROM (SELECT a.owner, count(*) AS n FROM accounts a JOIN activity t ON t.account_id = a.id
			WHERE t.activity_type = 'DEP' AND t.amount_cents >= 75000 GROUP BY a.id ORDER BY a.id)`, "Mr. Krabs 2, Pearl 1"},
		{"bank", `SELECT count(*) FROM accounts a WHERE balance_cents != (SELECT coalesce(sum(CASE activity_type WHEN 'DEP' THEN amount_cents ELSE -amount_cents END), 0)
			FROM activity WHERE account_id = a.id)`, "0"},
		{"bank-variant", `SELECT count(*) FROM accounts a WHERE balance_cents != (SELECT coalesce(sum(CASE activity_type WHEN 'DEP' THEN amount_cents ELSE -amount_cents END), 0)
			FROM activity WHERE account_id = a.id)`, "0"},
		{"bank", `SELECT count(DISTINCT owner) || ' names, ' || count(DISTINCT owner_email) || ' emails' FROM activity_log`, "5 names, 6 emails"},
		{"bank", `SELECT group_concat(activity_type || ' ' || amount_cents, ', ') FROM activity_log WHERE owner = 'SpongeBob' ORDER BY id`,
			"DEP 50000, WD 10000, DEP 5000"},
		{"bank-variant", `SELECT count(DISTINCT owner) || ' names, ' || count(DISTINCT owner_email) || ' emails' FROM activity_log`, "3 names, 5 emails"},
		{"cascade", `SELECT group_concat(description || ' ' || amount_cents, ', ') FROM expenses
			WHERE user_id = (SELECT id FROM users WHERE email = 'alice@example.com') ORDER BY id`, "Groceries 5250, Lunch 1875, Gas 4500"},
		{"cascade", `SELECT group_concat(id) FROM expenses WHERE split_with = 1 ORDER BY id`, "6,10"},
		{"cascade", `SELECT group_concat(u.name || ' ' || (SELECT count(*) FROM expenses WHERE split_with = u.id), ', ')
			FROM users u WHERE u.id NOT IN (SELECT user_id FROM expenses)`, "Dave 2"},
		{"cascade-variant", `SELECT group_concat(u.name || ' ' || (SELECT count(*) FROM expenses WHERE split_with = u.id), ', ')
			FROM users u WHERE u.id NOT IN (SELECT user_id FROM expenses)`, "Olu 2"},
		{"cascade-variant", `SELECT count(*) || ' ' || (SELECT count(*) FROM expenses WHERE split_with = 3) FROM expenses WHERE user_id = (SELECT min(id) FROM users)`, "4 2"},
		// Lesson 13: averages over the graded enrollments only; COMP110's is
		// a third, which no float holds exactly.
		{"bank", `SELECT group_concat(code || ' ' || n || ' ' || coalesce(g, '-') || ' ' || coalesce(s, '-'), ', ') FROM (SELECT c.code, count(e.student_id) AS n,
			count(e.grade) AS g, sum(e.grade) AS s FROM courses c LEFT JOIN enrollment e ON e.course_id = c.id GROUP BY c.id ORDER BY c.code)`,
			"COMP110 3 3 254, COMP210 2 2 177, COMP423 3 2 178, COMP550 0 0 -"},
		{"bank-variant", `SELECT group_concat(code || ' ' || n || ' ' || g || ' ' || coalesce(s, '-'), ', ') FROM (SELECT c.code, count(e.student_id) AS n,
			count(e.grade) AS g, sum(e.grade) AS s FROM courses c LEFT JOIN enrollment e ON e.course_id = c.id GROUP BY c.id ORDER BY c.code)`,
			"COMP250 1 1 0, COMP301 2 2 171, COMP311 5 3 154, MATH231 4 4 365, comp311 1 0 -"},
		{"library", `SELECT name FROM authors WHERE id = 1`, "Ursula K. Le Guin"},
		{"library", `SELECT count(*) FROM (SELECT tag_id FROM book_tag GROUP BY tag_id HAVING count(*) > 1)`, "5"},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			s, ok := Lookup(tt.set)
			if !ok {
				t.Fatalf("no data set %q", tt.set)
			}
			db, err := sql.Open("sqlite3", "file:"+s.File(dataDir)+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var got string
			if err := db.QueryRow(tt.query).Scan(&got); err != nil {
				t.Fatalf("%s: %v", tt.query, err)
			}
			if got != tt.want {
				t.Errorf("%s:\n got %s\nwant %s", tt.query, got, tt.want)
			}
		})
	}
}

// TestRegenerateMatchesBuild proves that a set made at check time from a
// copy of a smaller one holds what Build makes: Regenerate on a copy of
// budget-100 with 1,000 users gives the shipped budget-1000.
func TestRegenerateMatchesBuild(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dataDir, "budget-100.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "budget-1000.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Regenerate(db, 1000); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := Dump(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Dump(filepath.Join(dataDir, "budget-1000.db"))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Error("Regenerate(1000) on a copy of budget-100 differs from the shipped budget-1000")
	}
}
