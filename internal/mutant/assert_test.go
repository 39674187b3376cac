package mutant

import (
	"strings"
	"testing"
)

// TestDropAssert: each if of a test suite that reports a failure through a
// testing handle gets a mutant whose condition is false; a guard on err !=
// nil, and an if that only builds an error with fmt.Errorf, get none.
func TestDropAssert(t *testing.T) {
	src := []byte(`package p

import "fmt"

func Contract(t T, open Open) {
	t.Run("a", func(t T) {
		u, err := open().CreateUser("x")
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if u.ID == 0 {
			t.Errorf("no id")
		}
	})
}

func build(n int) error {
	if n < 0 {
		return fmt.Errorf("negative")
	}
	if n > 9 {
		fmt.Errorf("ignored")
	}
	return nil
}
`)
	ms, err := Make("contract.go", src)
	if err != nil {
		t.Fatal(err)
	}
	var asserts []Mutant
	for _, m := range ms {
		if m.Op == "drop-assert" {
			asserts = append(asserts, m)
		}
	}
	if len(asserts) != 1 {
		t.Fatalf("got %d drop-assert mutants, want 1 (u.ID == 0): %+v", len(asserts), asserts)
	}
	m := asserts[0]
	if m.Func != "Contract" || m.What != "if u.ID == 0 → if false" || !strings.Contains(string(m.Source), "if false {\n\t\t\tt.Errorf(\"no id\")") {
		t.Errorf("mutant %s in %s (%s):\n%s", m.ID, m.Func, m.What, m.Source)
	}
}
