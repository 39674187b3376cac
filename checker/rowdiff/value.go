// Package rowdiff compares what a program returned with what was expected and
// describes the difference in words: missing rows, unexpected rows, changed
// fields, and rows that are right but in the wrong order.
//
// Values are compared in their JSON form, so a Go value and an expected
// result kept in a .json file meet on equal terms:
//
//	got, _ := rowdiff.FromGo(expenses)          // []Expense from the program
//	want, _ := rowdiff.Parse(expectedJSON)      // the file beside the check
//	if d := rowdiff.Compare(got, want, rowdiff.Options{Order: rowdiff.Ordered}); d != nil {
//		fmt.Println(d)
//	}
//
// which prints, for instance:
//
//	got 3 rows, want 4:
//	  missing:    {ID: 2, Description: "Lunch", AmountCents: 1875}
//
// A list of objects is a list of rows. A row is identified by its key field
// (ID, or the field Options.Key names) when every row has one, so a row with
// the right key but other values is reported as changed, field by field.
package rowdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"workbook/internal/words"
)

// Object is a JSON object that remembers the order of its fields, so that
// rows are shown with their fields in the order the program declared them.
type Object struct {
	Keys   []string
	Values map[string]any
}

// Get returns the value of field k and whether the object has it.
func (o *Object) Get(k string) (any, bool) {
	v, ok := o.Values[k]
	return v, ok
}

// A value is one of: nil, bool, json.Number, string, []any, *Object.

// Parse decodes JSON text into a value, keeping the order of object fields
// and numbers exactly as written. It gives what encoding/json's Decoder
// with UseNumber gives, token by token, at a fraction of its cost (see
// parse.go): results of ten thousand rows are parsed several times a check.
func Parse(data []byte) (any, error) {
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v) // the same error, with its offset
		if err == nil {
			err = fmt.Errorf("invalid JSON")
		}
		return nil, fmt.Errorf("rowdiff: %w", err)
	}
	p := parser{data: data}
	return p.value()
}

// FromGo converts a Go value into a value by way of encoding/json: struct
// fields keep their Go names unless a json tag renames them. A nil slice
// becomes null, which [Compare] takes as equal to an empty list.
func FromGo(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("rowdiff: %w", err)
	}
	return Parse(data)
}

// Marshal encodes a value as indented JSON with one row per line: a list of
// objects is written one object to a line, which keeps expected-result files
// short and their diffs in code review readable.
func Marshal(v any) []byte {
	var b bytes.Buffer
	writeValue(&b, v, "", true)
	b.WriteByte('\n')
	return b.Bytes()
}

func writeValue(b *bytes.Buffer, v any, indent string, top bool) {
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		if !top {
			writeCompact(b, v)
			return
		}
		b.WriteString("[\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			writeCompact(b, e)
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case *Object:
		if !top || len(v.Keys) == 0 {
			writeCompact(b, v)
			return
		}
		b.WriteString("{\n")
		for i, k := range v.Keys {
			b.WriteString(indent + "  ")
			writeKey(b, k)
			writeValue(b, v.Values[k], indent+"  ", true)
			if i < len(v.Keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	default:
		writeCompact(b, v)
	}
}

func writeCompact(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeCompact(b, e)
		}
		b.WriteByte(']')
	case *Object:
		b.WriteByte('{')
		for i, k := range v.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeKey(b, k)
			writeCompact(b, v.Values[k])
		}
		b.WriteByte('}')
	default:
		data, _ := json.Marshal(v)
		b.Write(data)
	}
}

// keyText is string(Marshal(v)), the text a row's key is known by, made
// without a buffer for the numbers and plain strings keys usually are.
func keyText(v any) string {
	switch v := v.(type) {
	case json.Number:
		return string(v) + "\n"
	case string:
		for i := 0; i < len(v); i++ {
			// What encoding/json writes as it is: printable ASCII but for
			// the quote, the backslash and the characters it escapes for HTML.
			if c := v[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return string(Marshal(v))
			}
		}
		return `"` + v + "\"\n"
	}
	return string(Marshal(v))
}

func writeKey(b *bytes.Buffer, k string) {
	kb, _ := json.Marshal(k)
	b.Write(kb)
	b.WriteString(": ")
}

// Format writes a value for a message: objects as {Field: value, ...} with
// nested lists summarized, cut to width runes.
func Format(v any, width int) string {
	var b strings.Builder
	format(&b, v, 0)
	s := b.String()
	if r := []rune(s); width > 0 && len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return s
}

func format(b *strings.Builder, v any, depth int) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		fmt.Fprintf(b, "%q", v)
	case []any:
		if depth > 0 {
			fmt.Fprintf(b, "[%s]", count(len(v), "item"))
			return
		}
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, e, depth+1)
		}
		b.WriteByte(']')
	case *Object:
		b.WriteByte('{')
		for i, k := range v.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + ": ")
			format(b, v.Values[k], depth+1)
		}
		b.WriteByte('}')
	default:
		fmt.Fprint(b, v)
	}
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return words.Counted(n, word)
}
