package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbook/internal/protocol"
)

// TestGeneratedDataNamedInACheck: a check's Data may name a budget set of
// any size that is not shipped. It is generated with that many users; a
// run of the reference solutions hands it to the grader, a student's run
// uses the set it was handed, and a shipped set a graded run was not
// handed is refused, not made.
func TestGeneratedDataNamedInACheck(t *testing.T) {
	const name = "budget-303" // a size no other test generates
	check := Check{Name: "generated", Data: []string{name}}
	var users []int
	count := func(c *C) { c.Query(&users, `SELECT count(*) FROM users`) }

	calibrating := testConfig(t)
	out := t.TempDir()
	calibrating.graded = &gradedRun{update: out}
	if v := calibrating.run(check, count); !v.Passed() || len(users) != 1 || users[0] != 303 {
		t.Fatalf("on %s: %v users, %s", name, users, describe(v))
	}
	handed, err := os.ReadFile(filepath.Join(out, protocol.UpdateGenerated, name+".db"))
	if err != nil || len(handed) == 0 {
		t.Fatalf("%s was not handed to the grader: %v", name, err)
	}

	// A student's run is handed budget-10 under that name: it uses it.
	small, err := calibrating.seeds.bytes("budget-10")
	if err != nil {
		t.Fatal(err)
	}
	student := testConfig(t)
	student.graded = &gradedRun{}
	student.seeds = &seedCache{data: map[string][]byte{"budget": small, name: small}, fixed: true}
	users = nil
	if v := student.run(check, count); !v.Passed() || len(users) != 1 || users[0] != 10 {
		t.Errorf("the student's run did not use the set it was handed: %v users, %s", users, describe(v))
	}

	// A shipped set it was not handed is not made up.
	v := student.run(Check{Name: "generated", Data: []string{"budget-10"}}, count)
	if v.Status != protocol.StatusBroken || !strings.Contains(v.Failures[0].Message, "no data set") {
		t.Errorf("a graded run without budget-10: %s", describe(v))
	}
}
