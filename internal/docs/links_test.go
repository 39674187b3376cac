package docs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"workbook/internal/lesson"
)

// root is the workbook's root, seen from this package's folder.
const root = "../.."

// markdownFiles returns the workbook's Markdown files, relative to root,
// leaving out git's folder, the learner's progress and test fixtures.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".workbook", "testdata", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no Markdown files under the workbook's root")
	}
	return files
}

var (
	fence      = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	codeSpan   = regexp.MustCompile("`+[^`]*`+")
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	refDef     = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$`)
	heading    = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	scheme     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// link is a link found in a Markdown file.
type link struct {
	line   int
	target string
}

// parse returns the links of a Markdown text, outside code blocks and code
// spans, and the GitHub slugs of its headings.
func parse(text string) (links []link, slugs map[string]bool) {
	slugs = map[string]bool{}
	count := map[string]int{}
	inFence := false
	for i, line := range strings.Split(text, "\n") {
		if fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			s := slug(m[2])
			if n := count[s]; n > 0 {
				slugs[fmt.Sprintf("%s-%d", s, n)] = true
			} else {
				slugs[s] = true
			}
			count[s]++
		}
		if m := refDef.FindStringSubmatch(line); m != nil {
			links = append(links, link{i + 1, m[1]})
			continue
		}
		for _, m := range inlineLink.FindAllStringSubmatch(codeSpan.ReplaceAllString(line, ""), -1) {
			links = append(links, link{i + 1, m[1]})
		}
	}
	return links, slugs
}

var (
	markupLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	htmlTag    = regexp.MustCompile(`<[^>]+>`)
)

// slug returns the anchor GitHub gives a heading: its text as rendered
// (code spans and links reduced to their text, tags dropped), lower case,
// without punctuation other than hyphens and underscores, spaces turned
// into hyphens. A repeated heading gets -1, -2, … (see parse).
func slug(h string) string {
	h = markupLink.ReplaceAllString(h, "$1")
	h = htmlTag.ReplaceAllString(h, "")
	h = strings.NewReplacer("`", "", "*", "", "~", "").Replace(h)
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSlug(t *testing.T) {
	tests := []struct{ heading, want string }{
		{"Requirements", "requirements"},
		{"Instructors: grading a class", "instructors-grading-a-class"},
		{"One `workbook run 7`, from command to verdict", "one-workbook-run-7-from-command-to-verdict"},
		{"Lesson 2 · One-to-many, both directions", "lesson-2--one-to-many-both-directions"},
		{"The N+1 problem", "the-n1-problem"},
		{"Limits: the sandbox each lesson runs in", "limits-the-sandbox-each-lesson-runs-in"},
		{"[lesson 8](../08-eager-join/README.md) and `IN`", "lesson-8-and-in"},
		{"snake_case stays", "snake_case-stays"},
	}
	for _, tt := range tests {
		if got := slug(tt.heading); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.heading, got, tt.want)
		}
	}
}

func TestParseSkipsCode(t *testing.T) {
	text := "# Title\n\nSee [a](a.md) and `[b](b.md)`.\n\n```\n[c](c.md)\n```\n\n[d]: d.md\n\n## Title\n"
	links, slugs := parse(text)
	var got []string
	for _, l := range links {
		got = append(got, l.target)
	}
	if strings.Join(got, " ") != "a.md d.md" {
		t.Errorf("links = %q, want [a.md d.md]", got)
	}
	if !slugs["title"] || !slugs["title-1"] {
		t.Errorf("slugs = %v, want title and title-1", slugs)
	}
}

// TestRelativeLinksResolve checks every relative link of every Markdown
// file: the file or folder it names exists, and a #fragment into a
// Markdown file (or within the same file) names one of its headings.
func TestRelativeLinksResolve(t *testing.T) {
	parsed := map[string]map[string]bool{} // slugs by file, relative to root
	slugsOf := func(rel string) (map[string]bool, error) {
		if s, ok := parsed[rel]; ok {
			return s, nil
		}
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return nil, err
		}
		_, s := parse(string(data))
		parsed[rel] = s
		return s, nil
	}
	checked := 0
	for _, file := range markdownFiles(t) {
		data, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		links, _ := parse(string(data))
		for _, l := range links {
			if scheme.MatchString(l.target) || strings.HasPrefix(l.target, "//") {
				continue // a URL: not this test's business
			}
			checked++
			where := fmt.Sprintf("%s:%d: link %q", file, l.line, l.target)
			path, fragment, _ := strings.Cut(l.target, "#")
			target := file
			if path != "" {
				if strings.HasPrefix(path, "/") {
					t.Errorf("%s is absolute: GitHub resolves it against the site, not the repository; write it relative to %s", where, filepath.ToSlash(filepath.Dir(file)))
					continue
				}
				target = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(file), path)))
				if strings.HasPrefix(target, "../") {
					t.Errorf("%s leaves the workbook", where)
					continue
				}
				if _, err := os.Stat(filepath.Join(root, target)); err != nil {
					t.Errorf("%s: %s does not exist", where, target)
					continue
				}
			}
			if fragment == "" || !strings.HasSuffix(target, ".md") {
				continue
			}
			slugs, err := slugsOf(target)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if !slugs[strings.ToLower(fragment)] {
				t.Errorf("%s: %s has no heading whose anchor is #%s", where, target, fragment)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no relative links found: the parser is broken")
	}
}

// TestReadmeListsEveryLesson checks that README.md's table of lessons has
// a row for every lesson, with its number, its title as lesson.json says it
// and a link to its README.
func TestReadmeListsEveryLesson(t *testing.T) {
	all, err := lesson.LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		row := fmt.Sprintf("| %d | [%s](lessons/%s/README.md) |", l.Number, l.Title, l.ID())
		if !strings.Contains(string(data), row) {
			t.Errorf("README.md has no lesson row starting %s", row)
		}
	}
}
