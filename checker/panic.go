package checker

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// describePanic explains a panic: its value, and where in the learner's code
// it happened.
func (cfg *config) describePanic(p any, pcs []uintptr) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Your code panicked: %v\n", p)
	frames := runtime.CallersFrames(pcs)
	var site, learner *runtime.Frame
	afterPanic := false
	for {
		f, more := frames.Next()
		fn := f.Function
		switch {
		case strings.HasPrefix(fn, "runtime.gopanic") || strings.HasPrefix(fn, "runtime.panic") || strings.HasPrefix(fn, "runtime.sigpanic"):
			afterPanic = true
		case afterPanic && !strings.HasPrefix(fn, "runtime."):
			ff := f
			if site == nil {
				site = &ff
			}
			if learner == nil && cfg.isLearnerFile(f.File) {
				learner = &ff
			}
		}
		if !more || learner != nil {
			break
		}
	}
	note := typedNilNote(p, learner, frames)
	switch {
	case learner != nil && site != nil && site.File != learner.File:
		fmt.Fprintf(&b, "  in %s (%s:%d)\n  called from your code at %s:%d (%s)",
			site.Function, cfg.rel(site.File), site.Line, cfg.rel(learner.File), learner.Line, shortFunc(learner.Function))
	case learner != nil:
		fmt.Fprintf(&b, "  at %s:%d (%s)", cfg.rel(learner.File), learner.Line, shortFunc(learner.Function))
	case site != nil:
		fmt.Fprintf(&b, "  at %s:%d (%s)", cfg.rel(site.File), site.Line, shortFunc(site.Function))
	}
	b.WriteString(note)
	return b.String()
}

// typedNilNote explains a nil pointer dereference in a method of the
// learner's whose caller is the errors or fmt package: the method's
// receiver is a nil pointer that code returned as an error. An interface
// holding a nil pointer is not nil, so the caller went on to call its
// methods (Unwrap, Error, Is). frames holds the frames after the learner's.
func typedNilNote(p any, learner *runtime.Frame, frames *runtime.Frames) string {
	err, ok := p.(runtime.Error)
	if !ok || learner == nil || !strings.Contains(err.Error(), "nil pointer dereference") {
		return ""
	}
	fn := shortFunc(learner.Function)
	start, end := strings.Index(fn, "(*"), strings.Index(fn, ")")
	if start < 0 || end < start {
		return ""
	}
	typ := fn[start+2 : end]
	caller, _ := frames.Next()
	if !strings.HasPrefix(caller.Function, "errors.") && !strings.HasPrefix(caller.Function, "fmt.") {
		return ""
	}
	return fmt.Sprintf("\n  %s was called on a nil *%s (by %s): a function returned a\n"+
		"  nil *%s as its error. An error that holds a nil pointer is not nil (err != nil is true),\n"+
		"  so its caller goes on to use it. Return nil itself when there is no error, not a *%s\n"+
		"  variable that is nil.", fn, typ, caller.Function, typ, typ)
}

// isLearnerFile reports whether file is one the learner edits.
func (cfg *config) isLearnerFile(file string) bool {
	for _, f := range cfg.learnerFiles {
		if filepath.Clean(file) == f {
			return true
		}
	}
	return false
}

// rel shows path relative to the workbook's root when it is inside it.
func (cfg *config) rel(path string) string {
	if cfg.graded != nil {
		path = cfg.graded.inLesson(path)
	}
	if r, err := filepath.Rel(cfg.root, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

// shortFunc turns "workbook/lessons/07-n-plus-one.SpendingReport.func1"
// into "SpendingReport.func1".
func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}
