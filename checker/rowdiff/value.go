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
	"io"
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
// and numbers exactly as written.
func Parse(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("rowdiff: unexpected data after the JSON value")
	}
	return v, nil
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

func decode(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decode(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token() // ]
			return list, err
		case '{':
			obj := &Object{Values: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				v, err := decode(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := obj.Values[k]; !dup {
					obj.Keys = append(obj.Keys, k)
				}
				obj.Values[k] = v
			}
			_, err := dec.Token() // }
			return obj, err
		}
		return nil, fmt.Errorf("rowdiff: unexpected %v", tok)
	default:
		return tok, nil
	}
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
