package protocol

import (
	"bytes"
	"crypto/ed25519"
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
	path, err := WritePrivate(parent, g, expected, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	gotG, gotE, gotD, err := ReadPrivate(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	gotG.Digests = nil
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
			if _, _, _, err := ReadPrivate(tc.path, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadPrivate(%s) = %v, want %q", tc.path, err, tc.want)
			}
		})
	}
	short := filepath.Join(t.TempDir(), PrivatePrefix+"x")
	os.MkdirAll(short, 0o700)
	os.WriteFile(filepath.Join(short, GradingFile), []byte(`{"key":"abcd"}`), 0o600)
	if _, _, _, err := ReadPrivate(filepath.Join(short, GradingFile), nil); err == nil || !strings.Contains(err.Error(), "key") {
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

// TestSignedPrivateFolder checks that a program built with the grader's
// public key reads only the hand-over that grader wrote: not one signed by
// another key (the code under check making its own), not one whose files
// were changed, added to or taken from, and not an unsigned one.
func TestSignedPrivateFolder(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	g := Grading{Key: strings.Repeat("ab", 32), Results: "/r", Lesson: "/l"}
	expected := map[string][]byte{"food/budget.json": []byte("[]")}
	data := map[string][]byte{"budget": []byte("SQLite format 3")}
	write := func(signer ed25519.PrivateKey) string {
		path, err := WritePrivate(t.TempDir(), g, expected, data, signer)
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	if _, _, gotD, err := ReadPrivate(write(priv), pub); err != nil || string(gotD["budget"]) != "SQLite format 3" {
		t.Fatalf("the grader's own hand-over: %v, %v", gotD, err)
	}
	for name, tamper := range map[string]func(dir string){
		"a data set changed": func(dir string) { os.WriteFile(filepath.Join(dir, "data", "budget.db"), []byte("other"), 0o600) },
		"a data set added":   func(dir string) { os.WriteFile(filepath.Join(dir, "data", "mine.db"), []byte("x"), 0o600) },
		"an expected result removed": func(dir string) {
			os.Remove(filepath.Join(dir, "expected", "food", "budget.json"))
		},
		"unsigned": func(dir string) { os.Remove(filepath.Join(dir, SignatureFile)) },
	} {
		path := write(priv)
		tamper(filepath.Dir(path))
		if _, _, _, err := ReadPrivate(path, pub); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
	if _, _, _, err := ReadPrivate(write(otherPriv), pub); err == nil || !strings.Contains(err.Error(), "not signed by the grader") {
		t.Errorf("signed with another key: %v", err)
	}
	if _, _, _, err := ReadPrivate(write(nil), pub); err == nil {
		t.Error("an unsigned hand-over was read by a program that holds a key")
	}
}
