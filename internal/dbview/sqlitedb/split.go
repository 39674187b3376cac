package sqlitedb

/*
#include <stdlib.h>

// sqlite3_complete is SQLite's own, compiled into this program by
// github.com/mattn/go-sqlite3, which does not export it to Go.
extern int sqlite3_complete(const char *sql);
*/
import "C"

import (
	"strings"
	"unsafe"
)

// Complete reports whether text ends with a complete SQL statement, as
// SQLite's sqlite3_complete decides: it ends with a semicolon that is not
// inside a string, a quoted name, a comment or the body of a CREATE TRIGGER.
// SQLite's shell uses it to know when to run what was typed.
func Complete(text string) bool {
	cs := C.CString(text)
	defer C.free(unsafe.Pointer(cs))
	return C.sqlite3_complete(cs) != 0
}

// Split cuts text into the complete statements it holds, each with its
// closing semicolon, and returns what follows the last one as rest: ""
// when nothing does, or the start of a statement not yet finished. A
// statement ends at the first semicolon where [Complete] says the text since
// the last one ends a statement, so a semicolon in a string or a trigger's
// body does not cut it. Statements that hold nothing but semicolons and
// spaces are left out; rest is "" when it holds nothing but spaces.
func Split(text string) (stmts []string, rest string) {
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != ';' {
			continue
		}
		part := text[start : i+1]
		if !Complete(part) {
			continue
		}
		start = i + 1
		if s := strings.TrimSpace(part); strings.Trim(s, "; \t\r\n") != "" {
			stmts = append(stmts, s)
		}
	}
	rest = text[start:]
	if strings.TrimSpace(rest) == "" {
		rest = ""
	}
	return stmts, rest
}
