// Bench measures the workbook's two speed targets in one run and prints each
// as a ratio against its baseline, measured alternately in the same run so
// that a busy machine slows both alike:
//
//  1. The learner's feedback loop: `workbook run 7` after an edit to the
//     learner's file, against bare `go test` of the same lesson package after
//     the same edit. Target: within 1.25×.
//  2. The statement-counting wrapper (checker/stmtlog), call sites
//     captured as in every check, against the bare
//     go-sqlite3 driver, on lesson 7's workload at 10,000 users: the N+1
//     report (10,001 statements) and the batched one (2). Target: under 10%.
//
// Run it from the workbook's root:
//
//	go run ./bench
//	go run ./bench -loops 7 -rounds 15
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3"

	"workbook/checker/stmtlog"
	"workbook/internal/sqlite"
)

func main() {
	loops := flag.Int("loops", 5, "edit-and-run rounds for the feedback loop (0: skip it)")
	rounds := flag.Int("rounds", 15, "rounds of the wrapper workload")
	flag.Parse()
	if err := run(*loops, *rounds); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func run(loops, rounds int) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "lessons", "07-n-plus-one")); err != nil {
		return fmt.Errorf("run me from the workbook's root: %w", err)
	}
	fmt.Printf("workbook benchmark, %s\n\n", time.Now().Format("2006-01-02 15:04"))
	if loops > 0 {
		if err := feedbackLoop(root, loops); err != nil {
			return err
		}
		fmt.Println()
	}
	return wrapperOverhead(root, rounds)
}

// feedbackLoop times `workbook run 7` and bare `go test` after an edit, in a
// scratch copy of the workbook so that the learner's file is left alone.
func feedbackLoop(root string, loops int) error {
	tmp, err := os.MkdirTemp("", "workbook-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := copyTree(root, tmp); err != nil {
		return err
	}
	bin := filepath.Join(tmp, "workbook-bin")
	if out, err := command(tmp, "go", "build", "-o", bin, "./cmd/workbook").CombinedOutput(); err != nil {
		return fmt.Errorf("building the workbook command: %v\n%s", err, out)
	}
	file := filepath.Join(tmp, "lessons", "07-n-plus-one", "report.go")
	original, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	edit := 0
	timed := func(name string, args ...string) (time.Duration, error) {
		edit++
		// An edit a learner might make: the package must be compiled again.
		content := fmt.Sprintf("%s\n// edit %d\n", original, edit)
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			return 0, err
		}
		began := time.Now()
		err := command(tmp, name, args...).Run()
		took := time.Since(began)
		if _, ok := err.(*exec.ExitError); ok {
			err = nil // the shipped lesson fails its checks: that is the loop
		}
		return took, err
	}
	workbook := func() (time.Duration, error) { return timed(bin, "run", "7") }
	goTest := func() (time.Duration, error) { return timed("go", "test", "-count=1", "./lessons/07-n-plus-one") }

	// Warm up: the scratch copy's own packages are compiled once.
	for _, f := range []func() (time.Duration, error){workbook, goTest} {
		if _, err := f(); err != nil {
			return err
		}
	}
	var wb, gt []time.Duration
	type contender struct {
		run   func() (time.Duration, error)
		times *[]time.Duration
	}
	pair := []contender{{workbook, &wb}, {goTest, &gt}}
	for i := 0; i < loops; i++ {
		for j := range pair {
			c := pair[(i+j)%2] // alternate which goes first
			d, err := c.run()
			if err != nil {
				return err
			}
			*c.times = append(*c.times, d)
		}
	}
	mw, mg := median(wb), median(gt)
	fmt.Printf("Feedback loop, lesson 7 after an edit (median of %d, alternating):\n", loops)
	fmt.Printf("  workbook run 7                      %8s\n", mw.Round(time.Millisecond))
	fmt.Printf("  go test -count=1 ./lessons/07-...    %8s\n", mg.Round(time.Millisecond))
	fmt.Printf("  ratio workbook / go test             %8.2f×   (target ≤ 1.25×)\n", ratio(mw, mg))
	return nil
}

// wrapperOverhead runs lesson 7's workload at 10,000 users through the bare
// driver and through the counting wrapper, alternating.
func wrapperOverhead(root string, rounds int) error {
	tmp, err := os.MkdirTemp("", "workbook-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	data, err := os.ReadFile(filepath.Join(root, "data", "budget-10000.db"))
	if err != nil {
		return err
	}
	path := filepath.Join(tmp, "budget-10000.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	dsn := sqlite.DSN(path, sqlite.Options{ForeignKeys: true})
	bare := sqlx.MustOpen("sqlite3", dsn)
	defer bare.Close()
	log := new(stmtlog.Log)
	counted := sqlx.NewDb(sql.OpenDB(stmtlog.NewConnector(dsn, log, nil)), "sqlite3")
	defer counted.Close()

	for _, w := range []struct {
		name string
		f    func(*sqlx.DB) (int, error)
	}{
		{"N+1 report (10,001 statements)", nPlusOne},
		{"batched report (2 statements)", batched},
	} {
		// Warm up both handles: page cache, prepared connections.
		for _, db := range []*sqlx.DB{bare, counted} {
			if _, err := w.f(db); err != nil {
				return err
			}
		}
		var tb, tc []time.Duration
		recorded := 0
		for i := 0; i < rounds; i++ {
			for j, db := range []*sqlx.DB{bare, counted} {
				if i%2 == 1 {
					db = []*sqlx.DB{counted, bare}[j]
				}
				log.Reset()
				began := time.Now()
				if _, err := w.f(db); err != nil {
					return err
				}
				took := time.Since(began)
				if db == bare {
					tb = append(tb, took)
				} else {
					tc = append(tc, took)
					recorded = log.Count()
				}
			}
		}
		mb, mc := median(tb), median(tc)
		fmt.Printf("Counting wrapper, %s at 10,000 users (median of %d, alternating):\n", w.name, rounds)
		fmt.Printf("  bare go-sqlite3     %10s\n", mb.Round(time.Microsecond))
		fmt.Printf("  counting wrapper    %10s   (%d statements recorded, with their call sites)\n", mc.Round(time.Microsecond), recorded)
		fmt.Printf("  overhead            %+9.1f%%   (target < 10%%)\n", (ratio(mc, mb)-1)*100)
	}
	return nil
}

type expense struct {
	ID          int64  `db:"id"`
	UserID      int64  `db:"user_id"`
	CategoryID  int64  `db:"category_id"`
	Description string `db:"description"`
	AmountCents int64  `db:"amount_cents"`
}

type userExpenses struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	Expenses []expense
}

// nPlusOne is lesson 7's shipped report: 1 + N statements.
func nPlusOne(db *sqlx.DB) (int, error) {
	var users []userExpenses
	if err := db.Select(&users, `SELECT id, name FROM users ORDER BY id`); err != nil {
		return 0, err
	}
	for i := range users {
		if err := db.Select(&users[i].Expenses, `SELECT id, user_id, category_id, description, amount_cents
			FROM expenses WHERE user_id = ? ORDER BY id`, users[i].ID); err != nil {
			return 0, err
		}
	}
	return len(users), nil
}

// batched is lesson 7's solution: 2 statements.
func batched(db *sqlx.DB) (int, error) {
	var users []userExpenses
	if err := db.Select(&users, `SELECT id, name FROM users ORDER BY id`); err != nil {
		return 0, err
	}
	ids := make([]int64, len(users))
	index := make(map[int64]int, len(users))
	for i, u := range users {
		ids[i], index[u.ID] = u.ID, i
	}
	q, args, err := sqlx.In(`SELECT id, user_id, category_id, description, amount_cents
		FROM expenses WHERE user_id IN (?) ORDER BY id`, ids)
	if err != nil {
		return 0, err
	}
	var all []expense
	if err := db.Select(&all, db.Rebind(q), args...); err != nil {
		return 0, err
	}
	for _, e := range all {
		u := &users[index[e.UserID]]
		u.Expenses = append(u.Expenses, e)
	}
	return len(users), nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

// copyTree copies the workbook's files, without git's and the learner's
// progress.
func copyTree(root, dir string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
}
