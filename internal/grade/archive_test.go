package grade

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// entry is one member of a test archive: a file, or a link when link is
// set.
type entry struct{ name, body, link string }

// writeArchive writes entries as an archive of the kind path's name says.
func writeArchive(t *testing.T, path string, entries []entry) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if strings.HasSuffix(path, ".zip") {
		zw := zip.NewWriter(f)
		for _, e := range entries {
			h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
			body := e.body
			if e.link != "" {
				h.SetMode(fs.ModeSymlink | 0o777)
				body = e.link
			}
			w, err := zw.CreateHeader(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(body))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if e.link != "" {
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, e.link, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
}

// Every kind of archive is unpacked by the same rules: regular files only,
// nothing outside the folder, and the same limits.
func TestUnpackKindsAlike(t *testing.T) {
	for _, ext := range archiveExts {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			archive := filepath.Join(dir, "s"+ext)
			writeArchive(t, archive, []entry{
				{name: "lessons/01-first/a.go", body: "package first\n"},
				{name: "../escape.go", body: "package first\n"},
				{name: "lessons/../../up.go", body: "package first\n"},
				{name: "/abs.go", body: "package first\n"},
				{name: "lessons/01-first/link.go", link: "/etc/passwd"},
				{name: "lessons/01-first/out", link: "../../.."},
			})
			out := filepath.Join(dir, "out")
			if err := unpack(archive, out); err != nil {
				t.Fatal(err)
			}
			var got []string
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					got = append(got, filepath.ToSlash(rel))
				}
				return nil
			})
			sort.Strings(got)
			if want := []string{"out/abs.go", "out/lessons/01-first/a.go", "s" + ext}; !reflect.DeepEqual(got, want) {
				t.Errorf("files = %v, want %v", got, want)
			}

			three := []entry{{name: "a", body: "12345"}, {name: "b", body: "12345"}, {name: "c", body: "12345"}}
			writeArchive(t, archive, three)
			for _, tc := range []struct {
				lim  archiveLimits
				want string // "" for no error
			}{
				{archiveLimits{bytes: 15, files: 3}, ""},
				{archiveLimits{bytes: 15, files: 2}, "reading s" + ext + ": the archive unpacks to more than 15 bytes or 2 files"},
				{archiveLimits{bytes: 14, files: 3}, "reading s" + ext + ": the archive unpacks to more than 14 bytes or 3 files"},
			} {
				err := unpackWithin(archive, filepath.Join(t.TempDir(), "x"), tc.lim)
				if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)) {
					t.Errorf("within %+v: %v, want %q", tc.lim, err, tc.want)
				}
			}
		})
	}
}
