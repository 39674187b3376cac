package rowdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// decodeTokens is the reading Parse replaced, by encoding/json's Decoder
// token by token: the oracle Parse must agree with.
func decodeTokens(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeToken(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the value")
	}
	return v, nil
}

func decodeToken(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			v, err := decodeToken(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.Token()
		return list, err
	case json.Delim('{'):
		obj := &Object{Values: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			v, err := decodeToken(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := obj.Values[k]; !dup {
				obj.Keys = append(obj.Keys, k)
			}
			obj.Values[k] = v
		}
		_, err := dec.Token()
		return obj, err
	}
	return tok, nil
}

func TestParseAgreesWithDecoder(t *testing.T) {
	docs := []string{
		`null`, `true`, `false`, `0`, `-12.5e+3`, `1E-7`, `""`, `[]`, `{}`, `[[]]`, `[{}]`,
		` [ 1 , 2 ,3 ] `, "\t{\r\n\"a\" : 1 }\n",
		`{"a": 1, "b": 2, "a": 3}`,
		`"quote \" and backslash \\ and slash \/"`,
		`"\u00e9t\u00e9 \ud83d\ude00 \n\t\b\f\r"`,
		`"lone surrogate \ud800 here"`,
		"\"invalid UTF-8 \xff\xfe here\"",
		`"Amélie, 東京"`,
		`[{"ID": 1, "Name": "Chloe", "Tags": ["a", null, true], "Nested": {"x": [1.0, -0, 2e10]}}]`,
	}
	// Every expected result the lessons ship, as they are read in checks.
	files, _ := filepath.Glob("../../lessons/*/expected/*/*.json")
	if len(files) == 0 {
		t.Fatal("no expected results found under lessons/*/expected/*")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	for _, doc := range docs {
		want, err := decodeTokens([]byte(doc))
		if err != nil {
			t.Fatalf("the oracle cannot read %.60q: %v", doc, err)
		}
		got, err := Parse([]byte(doc))
		if err != nil {
			t.Errorf("Parse(%.60q): %v", doc, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%.60q) = %#v, the Decoder gives %#v", doc, got, want)
		}
	}
}

func TestParseRejectsWhatTheDecoderRejects(t *testing.T) {
	for _, doc := range []string{``, ` `, `[1,]`, `{"a"}`, `{"a":1,}`, `[1] [2]`, `"open`, `tru`, `01`, `{1: 2}`, `[`, `nul`} {
		if _, err := decodeTokens([]byte(doc)); err == nil {
			t.Fatalf("the oracle accepts %q", doc)
		}
		if v, err := Parse([]byte(doc)); err == nil {
			t.Errorf("Parse(%q) = %#v, want an error", doc, v)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	var rows []map[string]any
	for i := range 10000 {
		rows = append(rows, map[string]any{"ID": i, "Name": fmt.Sprintf("User %d", i), "TotalCents": i * 37,
			"Categories": []map[string]any{{"Category": "Food", "TotalCents": i}, {"Category": "Rent", "TotalCents": 2 * i}}})
	}
	data, _ := json.Marshal(rows)
	for _, read := range []struct {
		name string
		f    func([]byte) (any, error)
	}{{"Parse", Parse}, {"Decoder.Token", decodeTokens}} {
		b.Run(read.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := read.f(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestKeyTextIsMarshal(t *testing.T) {
	for _, v := range []any{
		json.Number("3"), json.Number("-1.5e3"), "Food", "", "O'Brien", `say "hi"`, `back\slash`, "<b>&", "tab\there",
		"Amélie", "\x7f", nil, true, []any{json.Number("1")}, &Object{Keys: []string{"a"}, Values: map[string]any{"a": "b"}},
	} {
		if got, want := keyText(v), string(Marshal(v)); got != want {
			t.Errorf("keyText(%#v) = %q, Marshal gives %q", v, got, want)
		}
	}
}
