package cli

import (
	"flag"
	"strings"
	"testing"
)

// TestSynopsisListsEveryFlag checks that every command's synopsis names each
// flag it declares, with the value it takes, and that its help describes
// each of them once, after the prose.
func TestSynopsisListsEveryFlag(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			fs := c.flags()
			synopsis := c.synopsis()
			var help strings.Builder
			c.help(&help)
			fs.set.VisitAll(func(f *flag.Flag) {
				name := f.Name
				if of, ok := fs.aliases[name]; ok {
					name = of // an alias goes with the flag it names
				}
				f = fs.set.Lookup(name)
				syntax := flagSyntax(f)
				if !strings.Contains(" "+synopsis+" ", " ["+syntax+"] ") {
					t.Errorf("the synopsis %q does not list [%s]", synopsis, syntax)
				}
				if v := valueName(f); v == "string" || v == "value" || v == "float" || v == "uint" {
					t.Errorf("-%s takes a %s: name its value in back quotes in its help", f.Name, v)
				}
				if n := strings.Count(help.String(), "\n  "+syntax+"\n"); n != 1 {
					t.Errorf("the help describes %s %d times, want once:\n%s", syntax, n, help.String())
				}
				if strings.TrimSpace(f.Usage) == "" {
					t.Errorf("-%s has no help text", f.Name)
				}
			})
			if len(fs.flags) == 0 && strings.Contains(help.String(), "The flags are:") {
				t.Errorf("the help of a command without flags lists flags:\n%s", help.String())
			}
			if strings.Contains(c.long, "The flags are:") {
				t.Errorf("the long help of %s describes its flags by hand", c.name)
			}
		})
	}
}

func TestSynopsis(t *testing.T) {
	tests := map[*command]string{
		cmdRun:   "run [-v] [-explain] [-latency d] [-timeout d] [-run-timeout d] [-json] [lesson]",
		cmdReset: "reset [-y] lesson",
		cmdDB:    "db [-e query] [-mermaid] [lesson or data set]",
		cmdSQL:   "sql [-e SQL] [lesson or data set]",
		cmdGrade: "grade [-o dir] [-j n] [-timeout d] [-check-timeout d] [-points file] [-seed n] [-metadata file] [-prairielearn file] [-sandbox mode] [-gradescope] [submissions]",
		cmdList:  "list",
		cmdDev:   "dev expected|verify|shipped|schema|mutants|data [lesson...]",
	}
	for c, want := range tests {
		if got := c.synopsis(); got != want {
			t.Errorf("synopsis of %s = %q, want %q", c.name, got, want)
		}
	}
}

func TestHelpFlags(t *testing.T) {
	var b strings.Builder
	cmdRun.help(&b)
	want := "\n\nThe flags are:\n\n" +
		"  -v\n" +
		"\tExplain every failing check in full, not just the first.\n" +
		"  -explain\n" +
		"\tList the statements your code ran in each check (on the check's own\n" +
		"\tdata set): the whole SQL, its arguments, the first rows it returned or\n" +
		"\tthe rows it changed, the line of your code that sent it, its time, and\n" +
		"\thow SQLite ran each shape of statement (its query plan). A long run of\n" +
		"\tone shape is cut to its first and last; -explain=all shows every one.\n" +
		"  -latency d\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("help run:\n%s\nwant it to have:\n%s", b.String(), want)
	}
}

func TestAlias(t *testing.T) {
	fs := cmdReset.flags()
	if err := fs.parse([]string{"7", "-yes"}); err != nil {
		t.Fatal(err)
	}
	if got := fs.set.Lookup("y").Value.String(); got != "true" {
		t.Errorf("-yes did not set -y: %s", got)
	}
	if len(fs.flags) != 1 {
		t.Errorf("the alias is listed: %v", fs.flags)
	}
}
