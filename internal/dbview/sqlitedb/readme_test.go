package sqlitedb

import (
	"os"
	"path/filepath"
	"testing"

	"workbook/internal/dbview"
	"workbook/internal/lesson"
)

// TestReadmeSchemas keeps the diagram of each lesson's data in its
// README.md equal to what the data set's schema gives; `workbook dev
// schema` rewrites them. It reads each lesson's manifest, checks and
// README, never the learner's files.
func TestReadmeSchemas(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	all, err := lesson.LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no lessons")
	}
	available := lesson.AvailableDataSets(root)
	for _, l := range all {
		t.Run(l.ID(), func(t *testing.T) {
			used, err := l.DataSets(available)
			if err != nil {
				t.Fatal(err)
			}
			own, _ := lesson.OwnDataSet(used)
			if own == "" {
				t.Skip("its checks name no data set")
			}
			copied, err := FreshCopy(lesson.DataSetPath(root, own), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			s, err := Inspect(copied)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(l.Dir, "README.md")
			readme, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := dbview.ReadmeWithSchema(string(readme), dbview.SchemaBlock(l.Number, own, s))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if want != string(readme) {
				t.Errorf("%s: the diagram of %s differs from its schema (go run ./cmd/workbook dev schema %d rewrites it)", path, own, l.Number)
			}
		})
	}
}
