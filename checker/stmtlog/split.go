package stmtlog

import "strings"

// splitStatements cuts an SQL text into the statements SQLite would run
// one after another when the text is given to Exec whole, each with its
// semicolon, and leaves out pieces that hold no statement (whitespace,
// comments, a lone semicolon). A text that is one statement comes back
// whole.
//
// It follows sqlite3_complete: string literals, quoted identifiers and
// comments hide semicolons, and so does the body of a CREATE TRIGGER,
// which runs to the END that follows a semicolon. A text SQLite cannot
// parse is still cut the same way; the statement that fails says why.
func splitStatements(sql string) []string {
	var out []string
	state := stateStart
	start, hasToken := 0, false
	for i := 0; i < len(sql); {
		tok, n := nextToken(sql[i:])
		if tok != tokWS && tok != tokSemi {
			hasToken = true
		}
		state = completeTrans[state][tok]
		i += n
		if tok == tokSemi && state == stateStart {
			if hasToken {
				out = append(out, sql[start:i])
			}
			start, hasToken = i, false
		}
	}
	if hasToken {
		out = append(out, sql[start:])
	}
	if len(out) <= 1 {
		return []string{sql}
	}
	return out
}

// The tokens and states of sqlite3_complete (SQLite's complete.c).
const (
	tokSemi = iota
	tokWS
	tokOther
	tokExplain
	tokCreate
	tokTemp
	tokTrigger
	tokEnd
)

const (
	stateInvalid = iota // before any token
	stateStart          // just after a statement's semicolon
	stateNormal         // inside an ordinary statement
	stateExplain        // after EXPLAIN
	stateCreate         // after CREATE (TEMP)
	stateTrigger        // inside CREATE TRIGGER, before a semicolon
	stateSemi           // inside a trigger body, just after a semicolon
	stateEnd            // after END in a trigger body
)

var completeTrans = [8][8]int{
	//             SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END
	stateInvalid: {1, 0, 2, 3, 4, 2, 2, 2},
	stateStart:   {1, 1, 2, 3, 4, 2, 2, 2},
	stateNormal:  {1, 2, 2, 2, 2, 2, 2, 2},
	stateExplain: {1, 3, 3, 2, 4, 2, 2, 2},
	stateCreate:  {1, 4, 2, 2, 2, 4, 5, 2},
	stateTrigger: {6, 5, 5, 5, 5, 5, 5, 5},
	stateSemi:    {6, 6, 5, 5, 5, 5, 5, 7},
	stateEnd:     {1, 7, 5, 5, 5, 5, 5, 5},
}

// nextToken returns the kind of the token s begins with and its length in
// bytes. An unterminated comment, string or identifier runs to the end.
func nextToken(s string) (tok, n int) {
	switch c := s[0]; {
	case c == ';':
		return tokSemi, 1
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
		return tokWS, 1
	case c == '/' && strings.HasPrefix(s, "/*"):
		if end := strings.Index(s[2:], "*/"); end >= 0 {
			return tokWS, end + 4
		}
		return tokWS, len(s)
	case c == '-' && strings.HasPrefix(s, "--"):
		if end := strings.IndexByte(s, '\n'); end >= 0 {
			return tokWS, end + 1
		}
		return tokWS, len(s)
	case c == '[':
		if end := strings.IndexByte(s, ']'); end >= 0 {
			return tokOther, end + 1
		}
		return tokOther, len(s)
	case c == '\'' || c == '"' || c == '`':
		// A doubled quote inside is part of the token: scanning on past
		// it reads it as a closing quote and an opening one.
		for i := 1; i < len(s); i++ {
			if s[i] == c {
				if i+1 < len(s) && s[i+1] == c {
					i++
					continue
				}
				return tokOther, i + 1
			}
		}
		return tokOther, len(s)
	case isIDChar(c):
		n := 1
		for n < len(s) && isIDChar(s[n]) {
			n++
		}
		switch strings.ToLower(s[:n]) {
		case "create":
			return tokCreate, n
		case "temp", "temporary":
			return tokTemp, n
		case "trigger":
			return tokTrigger, n
		case "explain":
			return tokExplain, n
		case "end":
			return tokEnd, n
		}
		return tokOther, n
	}
	return tokOther, 1
}

// isIDChar reports whether c can be part of an identifier or keyword, as
// SQLite's tokenizer sees bytes: letters, digits, _, $ and every byte of a
// multi-byte UTF-8 character.
func isIDChar(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
