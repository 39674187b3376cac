package protocol

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestAppendRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.jsonl")
	if recs, err := Read(path); err != nil || recs != nil {
		t.Fatalf("Read of a missing file = %v, %v", recs, err)
	}
	v := &Verdict{Check: "c", Status: StatusFail, Output: PartPass, Budget: PartFail, Statements: 11, MaxStatements: 2,
		Failures: []Failure{{Data: "budget-10", Kind: KindBudget, Message: "ran 11"}}, Elapsed: Duration(1500 * time.Microsecond)}
	for _, r := range []Record{{Event: "start", Check: "c"}, {Event: "verdict", Check: "c", Verdict: v}} {
		if err := Append(path, r); err != nil {
			t.Fatal(err)
		}
	}
	// A crash can cut the last line short: it is ignored.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"event":"verd`)
	f.Close()
	recs, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Event != "start" || !reflect.DeepEqual(recs[1].Verdict, v) {
		t.Errorf("Read = %+v", recs)
	}
}
