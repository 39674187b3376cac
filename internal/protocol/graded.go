package protocol

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A graded run hardens the channel against the learner's code, which shares
// the test program's process with the checks:
//
//   - The grader writes a private folder (named PrivatePrefix…) holding
//     GradingFile, the lesson's expected results and the data sets the checks
//     use, and names GradingFile in [Env.Grading]. The checker reads all of it
//     while its package initializes, before any code of the lesson's
//     package runs, and removes the folder: the learner's code finds neither
//     the key nor the expected results on disk, and cannot change the
//     seeded data the checks copy.
//   - Every record is signed with the run's key (HMAC-SHA256). The grader
//     accepts only records whose signature holds, so a record appended by
//     the learner's code is rejected and reported, not counted.
//
// What stays open is said in the package documentation.

// GradingFile is the name of the file that sets up a graded run, and
// PrivatePrefix begins the name of the folder that holds it. The checker
// removes only a folder so named.
const (
	GradingFile = "grading.json"
	// SignatureFile, beside GradingFile, holds the grader's ed25519
	// signature of it.
	SignatureFile = "grading.sig"
	PrivatePrefix = "workbook-private-"
)

// Grading is the content of GradingFile.
type Grading struct {
	// Key signs the run's records, hex-encoded.
	Key string `json:"key"`
	// Results is the file the records are appended to.
	Results string `json:"results"`
	// Lesson is the lesson's folder in the tree the program was built
	// from: its lesson.json and the learner's files, for naming them in
	// messages.
	Lesson string `json:"lesson"`
	// Source is the folder the lesson's code was compiled from, when the
	// grader built it from a copy of the lesson's package elsewhere; empty
	// means Lesson.
	Source string `json:"source,omitempty"`
	// Checks is the folder the lesson's external checks (package
	// name_test) were compiled from, when the grader built them apart from
	// Source; empty means Source.
	Checks string `json:"checks,omitempty"`
	// Timeout bounds each check's body on each data set, as a Go duration;
	// empty leaves the checks' own.
	Timeout string `json:"timeout,omitempty"`
	// Scratch is where the checks put their private copies of the data,
	// a folder the grader removes after the run, even one killed before it
	// could clean up; empty leaves the checker's own choice.
	Scratch string `json:"scratch,omitempty"`
	// Update, when not empty, is a folder the checks write the expected
	// results of the data sets UpdateData names into, as [Env.Update]
	// writes a lesson's (expected/<check>/<data set>.json, under Update
	// instead of the lesson's expected/), instead of comparing with them.
	// The grader sets it only when it runs the reference solutions, on
	// the data sets it made at grading time; the other data sets are
	// compared as ever. The checks also write there, under
	// UpdateGenerated, the data sets they generate at check time (too
	// large to ship), for the grader to hand the students' runs instead
	// of each making its own.
	Update string `json:"update,omitempty"`
	// UpdateData names the data sets whose expected results Update
	// receives.
	UpdateData []string `json:"update_data,omitempty"`
	// Sources holds the learner's files as graded, by their names in the
	// lesson (as its manifest's files): the checker reads them where it
	// names a line, a loop or a call of the learner's, since the files
	// themselves are in no folder a sandboxed program is shown.
	Sources map[string]string `json:"sources,omitempty"`
	// Digests holds the SHA-256, hex-encoded, of every other file of the
	// private folder, by its path there ("data/budget.db"): the signature
	// of this file covers them too.
	Digests map[string]string `json:"digests,omitempty"`
}

// Subfolders of the private folder.
const (
	PrivateExpected = "expected" // expected/<check>/<data set>.json, as in a lesson
	PrivateData     = "data"     // <data set>.db
)

// UpdateGenerated is the subfolder of [Grading.Update] that holds the data
// sets a run generated, as <data set>.db.
const UpdateGenerated = "generated"

// macField ends a signed record's line: ,"mac":"<64 hex digits>"}.
const macField = `,"mac":"`

// Sign returns r as one signed line of a results file, without the newline.
// The signature covers the record's JSON encoding exactly as written.
func Sign(key []byte, r Record) ([]byte, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(data)
	sum := hex.EncodeToString(mac.Sum(nil))
	line := append(data[:len(data)-1:len(data)-1], macField...)
	line = append(line, sum...)
	return append(line, '"', '}'), nil
}

// verify returns the record of a signed line and whether its signature
// holds.
func verify(key, line []byte) (Record, bool) {
	var r Record
	i := bytes.LastIndex(line, []byte(macField))
	if i < 0 || !bytes.HasSuffix(line, []byte(`"}`)) {
		return r, false
	}
	sum, err := hex.DecodeString(string(line[i+len(macField) : len(line)-2]))
	if err != nil {
		return r, false
	}
	signed := append(line[:i:i], '}')
	mac := hmac.New(sha256.New, key)
	mac.Write(signed)
	if !hmac.Equal(sum, mac.Sum(nil)) {
		return r, false
	}
	if err := json.Unmarshal(signed, &r); err != nil {
		return r, false
	}
	return r, true
}

// AppendSigned adds r, signed with key, to the results file at path.
func AppendSigned(path string, key []byte, r Record) error {
	line, err := Sign(key, r)
	if err != nil {
		return fmt.Errorf("protocol: %w", err)
	}
	return appendLine(path, line)
}

// Signed is what ReadSigned found in a results file.
type Signed struct {
	// Records are the records whose signature holds, in the file's order.
	Records []Record
	// Rejected counts the complete lines that are not a record signed
	// with the key: written by something other than the checker.
	Rejected int
	// Sample is the start of the first rejected line, for the report.
	Sample string
}

// ReadSigned reads the results file at path, keeping the records signed
// with key. A missing file holds no records. A last line without its
// newline (a program killed while writing) is dropped without counting as
// rejected.
func ReadSigned(path string, key []byte) (Signed, error) {
	var out Signed
	data, err := ReadResults(path)
	if err != nil {
		return out, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	complete := bytes.HasSuffix(data, []byte("\n"))
	lines := 0
	total := bytes.Count(data, []byte("\n"))
	for sc.Scan() {
		lines++
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if r, ok := verify(key, line); ok {
			out.Records = append(out.Records, r)
			continue
		}
		if lines > total && !complete {
			break // cut short
		}
		if out.Rejected == 0 {
			out.Sample = sample(string(line))
		}
		out.Rejected++
	}
	return out, sc.Err()
}

func sample(s string) string {
	if len(s) > 4<<10 {
		s = s[:4<<10]
	}
	s = strings.ToValidUTF8(s, "?")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}

// ReadPrivate reads the private folder that holds the GradingFile at path:
// the Grading, the expected results (by their path under expected/, with
// slashes) and the data sets (by name). With key set, the folder must be
// one the grader that holds key's private half wrote: its SignatureFile
// verifies GradingFile with key, and every other file is there with the
// digest GradingFile gives it, and no file more. The caller removes the
// folder.
func ReadPrivate(path string, key ed25519.PublicKey) (g Grading, expected, data map[string][]byte, err error) {
	dir := filepath.Dir(path)
	if filepath.Base(path) != GradingFile || !strings.HasPrefix(filepath.Base(dir), PrivatePrefix) {
		return g, nil, nil, fmt.Errorf("protocol: %s=%s is not a %s in a %s… folder", envGrade, path, GradingFile, PrivatePrefix)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return g, nil, nil, fmt.Errorf("protocol: %w", err)
	}
	if key != nil {
		sig, err := os.ReadFile(filepath.Join(dir, SignatureFile))
		if err != nil || !ed25519.Verify(key, raw, sig) {
			return g, nil, nil, fmt.Errorf("protocol: %s is not signed by the grader that built this program", path)
		}
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return g, nil, nil, fmt.Errorf("protocol: %s: %w", path, err)
	}
	if _, err := hex.DecodeString(g.Key); err != nil || len(g.Key) < 32 {
		return g, nil, nil, fmt.Errorf("protocol: %s: the key is not at least 16 hex-encoded bytes", path)
	}
	expected, err = readTree(filepath.Join(dir, PrivateExpected), ".json")
	if err != nil {
		return g, nil, nil, err
	}
	dbs, err := readTree(filepath.Join(dir, PrivateData), ".db")
	if err != nil {
		return g, nil, nil, err
	}
	if key != nil {
		seen := 0
		check := func(rel string, b []byte) error {
			seen++
			sum := sha256.Sum256(b)
			if want, ok := g.Digests[rel]; !ok || want != hex.EncodeToString(sum[:]) {
				return fmt.Errorf("protocol: %s in %s is not the file the grader wrote", rel, dir)
			}
			return nil
		}
		for rel, b := range expected {
			if err := check(PrivateExpected+"/"+rel, b); err != nil {
				return g, nil, nil, err
			}
		}
		for rel, b := range dbs {
			if err := check(PrivateData+"/"+rel, b); err != nil {
				return g, nil, nil, err
			}
		}
		if seen != len(g.Digests) {
			return g, nil, nil, fmt.Errorf("protocol: %s lacks files the grader wrote", dir)
		}
	}
	data = map[string][]byte{}
	for name, b := range dbs {
		if !strings.Contains(name, "/") {
			data[strings.TrimSuffix(name, ".db")] = b
		}
	}
	return g, expected, data, nil
}

// readTree reads the files under dir whose names end in ext, keyed by their
// slash-separated path relative to dir. A missing dir holds none.
func readTree(dir, ext string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(path, ext) {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	return out, nil
}

// WritePrivate creates a private folder under parent for one graded run
// and returns the path of its GradingFile: g, the expected results and the
// data sets, keyed as ReadPrivate returns them. With signer set, g holds the
// digest of every file and is signed (SignatureFile), so that a program
// built with the public half accepts no hand-over but the grader's: not one
// the code under check writes to run a classmate's code on data of its
// choosing.
func WritePrivate(parent string, g Grading, expected, data map[string][]byte, signer ed25519.PrivateKey) (string, error) {
	dir, err := os.MkdirTemp(parent, PrivatePrefix)
	if err != nil {
		return "", err
	}
	g.Digests = map[string]string{}
	write := func(rel string, b []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return err
		}
		if rel != GradingFile && rel != SignatureFile {
			sum := sha256.Sum256(b)
			g.Digests[rel] = hex.EncodeToString(sum[:])
		}
		return os.WriteFile(p, b, 0o600)
	}
	for rel, b := range expected {
		if err := write(PrivateExpected+"/"+rel, b); err != nil {
			return "", err
		}
	}
	for name, b := range data {
		if err := write(PrivateData+"/"+name+".db", b); err != nil {
			return "", err
		}
	}
	raw, err := json.Marshal(g)
	if err != nil {
		return "", err
	}
	if signer != nil {
		if err := write(SignatureFile, ed25519.Sign(signer, raw)); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, GradingFile)
	return path, write(GradingFile, raw)
}
