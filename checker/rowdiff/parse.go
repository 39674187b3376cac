package rowdiff

import (
	"encoding/json"
	"unicode/utf8"
)

// parser reads a value from JSON text that json.Valid has accepted, so it
// needs to find only where each token ends, never to report an error.
// encoding/json's Decoder.Token, which it replaces, builds an error value
// for every comma it meets (the scanner takes each token for a whole
// document) and spent most of a check's time on a large result.
type parser struct {
	data []byte
	at   int
}

// value reads the value that starts at p.at, after any white space.
func (p *parser) value() (any, error) {
	p.space()
	switch p.data[p.at] {
	case '[':
		p.at++
		list := []any{}
		for p.more(']') {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case '{':
		p.at++
		obj := &Object{Values: map[string]any{}}
		for p.more('}') {
			p.space()
			k, err := p.string()
			if err != nil {
				return nil, err
			}
			p.space()
			p.at++ // the colon
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			if _, dup := obj.Values[k]; !dup {
				obj.Keys = append(obj.Keys, k)
			}
			obj.Values[k] = v
		}
		return obj, nil
	case '"':
		return p.string()
	case 't':
		p.at += len("true")
		return true, nil
	case 'f':
		p.at += len("false")
		return false, nil
	case 'n':
		p.at += len("null")
		return nil, nil
	}
	start := p.at
	for p.at < len(p.data) && isNumberByte(p.data[p.at]) {
		p.at++
	}
	return json.Number(p.data[start:p.at]), nil
}

// more reports whether the list or object being read has another element,
// stepping over the comma before it, or else over the closing delimiter.
func (p *parser) more(closing byte) bool {
	p.space()
	switch p.data[p.at] {
	case closing:
		p.at++
		return false
	case ',':
		p.at++
	}
	return true
}

// string reads the string that starts at p.at. One with no escape and in
// valid UTF-8 is its own bytes; any other is unquoted by encoding/json,
// which also replaces invalid UTF-8 as its Decoder does.
func (p *parser) string() (string, error) {
	start := p.at
	p.at++
	plain := true
	for p.data[p.at] != '"' {
		if p.data[p.at] == '\\' {
			plain = false
			p.at++
		}
		p.at++
	}
	p.at++
	raw := p.data[start:p.at]
	if inner := raw[1 : len(raw)-1]; plain && utf8.Valid(inner) {
		return string(inner), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

func (p *parser) space() {
	for p.at < len(p.data) {
		switch p.data[p.at] {
		case ' ', '\t', '\n', '\r':
			p.at++
		default:
			return
		}
	}
}

func isNumberByte(b byte) bool {
	return '0' <= b && b <= '9' || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E'
}
