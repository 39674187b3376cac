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
	switch {
	case learner != nil && site != nil && site.File != learner.File:
		fmt.Fprintf(&b, "  in %s (%s:%d)\n  called from your code at %s:%d (%s)",
			site.Function, cfg.rel(site.File), site.Line, cfg.rel(learner.File), learner.Line, shortFunc(learner.Function))
	case learner != nil:
		fmt.Fprintf(&b, "  at %s:%d (%s)", cfg.rel(learner.File), learner.Line, shortFunc(learner.Function))
	case site != nil:
		fmt.Fprintf(&b, "  at %s:%d (%s)", cfg.rel(site.File), site.Line, shortFunc(site.Function))
	}
	return b.String()
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
