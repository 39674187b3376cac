package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// appendLine adds line to the results file at path. What stands at path
// may not be what the runner made (the learner's code can reach it): the
// file is opened without waiting on it or following a link, and written
// only if it is a regular file.
func appendLine(path string, line []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|openNoWait, 0o600)
	if err != nil {
		return fmt.Errorf("protocol: %w", err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("protocol: the results file %s is not a regular file", path)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("protocol: %w", err)
	}
	return f.Close()
}

// Read returns the records of the results file at path. A missing file holds
// no records. A line that is not a record (a file cut short by a crash) ends
// the reading without error. A results file that is not a regular file, or
// is larger than MaxResults, is an error (see [ReadResults]).
func Read(path string) ([]Record, error) {
	data, err := ReadResults(path)
	if err != nil {
		return nil, err
	}
	var out []Record
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			break
		}
		out = append(out, r)
	}
	return out, nil
}

// MaxResults bounds a results file: many times what the checks of any
// lesson write, far less than would tie up a grader's memory.
const MaxResults = 64 << 20

// ReadResults returns the content of the results file at path, or nothing
// when there is none. The learner's code can reach the file, so it is
// read with care: a file that is not a regular one (a FIFO would block
// the reader, a folder cannot be read) or that has grown past MaxResults
// is an error that says so, and nothing waits on it.
func ReadResults(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("protocol: the results file %s is not a regular file but %s", path, modeName(fi.Mode()))
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNoWait, 0)
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("protocol: the results file %s changed while it was opened", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxResults+1))
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	if len(data) > MaxResults {
		return nil, fmt.Errorf("protocol: the results file %s is larger than %d MB", path, MaxResults>>20)
	}
	return data, nil
}

// modeName names the kind of file a mode describes.
func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a " + m.Type().String() + " file"
}
