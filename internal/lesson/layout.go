package lesson

import "path/filepath"

// The folders, under the workbook's root, that hold a part of every lesson:
//
//	lessons/NN-name/           the lesson (its Dir)
//	solutions/NN-name/<file>   the reference solution of each learner's file
//	_shipped/NN-name/<file>    each learner's file as shipped
const (
	// LessonsDir holds the lessons' folders.
	LessonsDir = "lessons"
	// SolutionsDir holds the reference solutions.
	SolutionsDir = "solutions"
	// ShippedDir keeps each lesson's learner's files as they were
	// shipped, for workbook reset to copy back. The leading underscore
	// keeps the go command out of it, so the copies are never built or
	// vetted twice; `workbook dev shipped` writes them and `workbook dev
	// verify` checks them.
	ShippedDir = "_shipped"
)

// ExpectedName is the name of the folder, in a lesson's folder, that keeps
// the expected results of its checks: expected/<check>/<data set>.json.
const ExpectedName = "expected"

// The methods below compute the paths of a lesson from its Dir, which they
// take to be lessons/NN-name under the workbook's root as LoadAll finds it,
// and its ID. They neither read nor check the file system. Files are named
// as in Files, with slashes; paths are returned with the system's
// separator.

// Root returns the workbook's root: the folder that holds lessons/.
func (l *Lesson) Root() string { return filepath.Dir(filepath.Dir(l.Dir)) }

// LearnerPath returns the path of the learner's file, or of any other
// file of the lesson's folder, named relative to that folder.
func (l *Lesson) LearnerPath(file string) string {
	return filepath.Join(l.Dir, filepath.FromSlash(file))
}

// LearnerPaths returns the paths of the learner's files, in the order of
// Files.
func (l *Lesson) LearnerPaths() []string {
	paths := make([]string, len(l.Files))
	for i, f := range l.Files {
		paths[i] = l.LearnerPath(f)
	}
	return paths
}

// ManifestPath returns the path of the lesson's manifest.
func (l *Lesson) ManifestPath() string { return filepath.Join(l.Dir, ManifestName) }

// SolutionDir returns the folder of the lesson's reference solution,
// solutions/NN-name under the root.
func (l *Lesson) SolutionDir() string {
	return filepath.Join(l.Root(), SolutionsDir, l.ID())
}

// SolutionPath returns the path of the reference solution of the learner's
// file.
func (l *Lesson) SolutionPath(file string) string {
	return filepath.Join(l.SolutionDir(), filepath.FromSlash(file))
}

// ShippedPath returns the path of the learner's file as shipped,
// _shipped/NN-name/<file> under the root.
func (l *Lesson) ShippedPath(file string) string {
	return filepath.Join(l.Root(), ShippedDir, l.ID(), filepath.FromSlash(file))
}

// ExpectedDir returns the folder of the lesson's expected results.
func (l *Lesson) ExpectedDir() string { return filepath.Join(l.Dir, ExpectedName) }

// ExpectedFile returns the file that keeps the expected result of check on
// dataSet: expected/<check>/<data set>.json in the lesson's folder, or
// expected/<check>/<data set>.<name>.json for a result the check names.
func (l *Lesson) ExpectedFile(check, dataSet, name string) string {
	base := dataSet
	if name != "" {
		base += "." + name
	}
	return filepath.Join(l.ExpectedDir(), check, base+".json")
}

// Rel returns path, one of the lesson's paths, relative to the workbook's
// root, for showing to a person: Rel(l.SolutionPath("report.go")) is
// solutions/07-n-plus-one/report.go. A path it cannot make relative is
// returned as it is.
func (l *Lesson) Rel(path string) string {
	rel, err := filepath.Rel(l.Root(), path)
	if err != nil {
		return path
	}
	return rel
}

// RelPath returns the path of the learner's file, or of any other file of
// the lesson's folder, relative to the workbook's root, such as
// lessons/07-n-plus-one/report.go: where the file is in any copy of the
// workbook.
func (l *Lesson) RelPath(file string) string {
	return filepath.Join(LessonsDir, l.ID(), filepath.FromSlash(file))
}
