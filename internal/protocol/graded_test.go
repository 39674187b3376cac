package protocol

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestReadSigned(t *testing.T) {
	pass := &Verdict{Check: "c", Status: StatusPass, Output: PartPass, Budget: PartPass, Data: []string{"budget"}}
	fail := &Verdict{Check: "c", Status: StatusFail, Output: PartFail, Budget: PartPass,
		Failures: []Failure{{Data: "budget", Kind: KindResult, Message: "got 3 rows, want 4 \"quoted\" \x01"}}}
	signed := func(r Record) string {
		line, err := Sign(testKey, r)
		if err != nil {
			t.Fatal(err)
		}
		return string(line) + "\n"
	}
	start := Record{Event: "start", Check: "c"}
	otherKey := func(r Record) string {
		line, _ := Sign([]byte("another key, another run........"), r)
		return string(line) + "\n"
	}
	genuine := signed(Record{Event: "verdict", Check: "c", Verdict: fail})
	tampered := strings.Replace(genuine, `"status":"fail"`, `"status":"pass"`, 1)
	for _, tc := range []struct {
		name     string
		content  string
		want     []Record
		rejected int
	}{
		{"signed records", signed(start) + genuine, []Record{start, {Event: "verdict", Check: "c", Verdict: fail}}, 0},
		{"unsigned record", signed(start) + `{"event":"verdict","check":"c","verdict":{"check":"c","status":"pass"}}` + "\n", []Record{start}, 1},
		{"edited verdict", signed(start) + tampered, []Record{start}, 1},
		{"signed with another key", otherKey(Record{Event: "verdict", Check: "c", Verdict: pass}), nil, 1},
		{"fake mac", `{"event":"verdict","check":"c","mac":"` + strings.Repeat("0", 64) + `"}` + "\n", nil, 1},
		{"printed text", "--- PASS: TestX\nok\n", nil, 2},
		{"line cut short by a kill", signed(start) + genuine[:40], []Record{start}, 0},
		{"empty", "", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.jsonl")
			os.WriteFile(path, []byte(tc.content), 0o600)
			got, err := ReadSigned(path, testKey)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Records, tc.want) || got.Rejected != tc.rejected {
				t.Errorf("ReadSigned = %+v, rejected %d; want %+v, rejected %d", got.Records, got.Rejected, tc.want, tc.rejected)
			}
			if tc.rejected > 0 && got.Sample == "" {
				t.Error("no sample of the rejected line")
			}
		})
	}
}

func TestAppendSignedThenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	for _, r := range []Record{{Event: "start", Check: "a"}, {Event: "refused", Check: "a", Note: "called from report.go:3"}} {
		if err := AppendSigned(path, testKey, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadSigned(path, testKey)
	if err != nil || len(got.Records) != 2 || got.Records[1].Note != "called from report.go:3" {
		t.Fatalf("ReadSigned = %+v, %v", got, err)
	}
	// The unsigned reader still reads a signed file.
	plain, err := Read(path)
	if err != nil || len(plain) != 2 {
		t.Fatalf("Read = %+v, %v", plain, err)
	}
}

func TestPrivateFolder(t *testing.T) {
	parent := t.TempDir()
	g := Grading{Key: strings.Repeat("ab", 32), Results: "/r", Lesson: "/l", Source: "/s", Timeout: "2s", Scratch: "/dev/shm/x",
		Update: "/u", UpdateData: []string{"budget-variant"}}
	expected := map[string][]byte{"food/budget.json": []byte("[]"), "food/budget-variant.json": []byte("[1]")}
	data := map[string][]byte{"budget": []byte("SQLite format 3")}
	path, err := WritePrivate(parent, g, expected, data)
	if err != nil {
		t.Fatal(err)
	}
	gotG, gotE, gotD, err := ReadPrivate(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotG, g) || !reflect.DeepEqual(gotE, expected) || !reflect.DeepEqual(gotD, data) {
		t.Errorf("ReadPrivate = %+v %v %v", gotG, gotE, gotD)
	}

	for _, tc := range []struct {
		name, path, want string
	}{
		{"not a grading file", filepath.Join(filepath.Dir(path), "other.json"), "is not a grading.json"},
		{"not a private folder", filepath.Join(parent, GradingFile), "is not a grading.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(tc.path, []byte("{}"), 0o600)
			if _, _, _, err := ReadPrivate(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadPrivate(%s) = %v, want %q", tc.path, err, tc.want)
			}
		})
	}
	short := filepath.Join(t.TempDir(), PrivatePrefix+"x")
	os.MkdirAll(short, 0o700)
	os.WriteFile(filepath.Join(short, GradingFile), []byte(`{"key":"abcd"}`), 0o600)
	if _, _, _, err := ReadPrivate(filepath.Join(short, GradingFile)); err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("a short key: %v", err)
	}
}

func TestSignCoversEveryByte(t *testing.T) {
	line, err := Sign(testKey, Record{Event: "verdict", Check: "c", Verdict: &Verdict{Status: StatusPass}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range bytes.LastIndex(line, []byte(macField)) {
		changed := append([]byte(nil), line...)
		changed[i] ^= 0x01
		if _, ok := verify(testKey, changed); ok {
			t.Fatalf("a change at byte %d still verifies: %s", i, changed)
		}
	}
}
