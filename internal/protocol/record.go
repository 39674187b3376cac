package protocol

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Event is what a [Record] tells.
type Event string

// The events of a results file.
const (
	// EventStart: a check begins. A check that started and gave no verdict
	// was running when its program ended.
	EventStart Event = "start"
	// EventVerdict: a check ended; the record holds its Verdict.
	EventVerdict Event = "verdict"
	// EventRefused: in a graded run, a check the checker would not run,
	// because something other than the lesson's check files asked for it
	// (the record's Note says what).
	EventRefused Event = "refused"
)

// Record is one line of a results file.
type Record struct {
	Event   Event    `json:"event"`
	Check   string   `json:"check"`
	Verdict *Verdict `json:"verdict,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// Append adds r to the results file at path as one line.
func Append(path string, r Record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("protocol: %w", err)
	}
	return appendLine(path, data)
}

func appendLine(path string, line []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("protocol: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("protocol: %w", err)
	}
	return f.Close()
}

// Read returns the records of the results file at path. A missing file holds
// no records. A line that is not a record (a file cut short by a crash) ends
// the reading without error.
func Read(path string) ([]Record, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			break
		}
		out = append(out, r)
	}
	return out, sc.Err()
}
