package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// A command is one subcommand of workbook: what help says of it, and the
// function that runs it.
type command struct {
	name  string
	args  string // the positional part of the synopsis, after the flags: "[lesson]"
	short string // a line, lower case, no period
	// long is what help says of the command, in prose: help lists its
	// flags after it, from their declarations.
	long string

	// run declares the command's flags into fs and returns the action that
	// runs the command once fs has parsed them. withFlags and noFlags make
	// one from a named function.
	run func(fs *flagSet) action
	// rawArgs hands the arguments to the action as they are, parsing no
	// flags, not even -h: for a command whose first argument says what to
	// do (dev, help).
	rawArgs bool
}

// An action runs a command on the arguments its flags left, and returns
// its exit status.
type action func(e *env, args []string) int

// withFlags makes the run of a command whose flags setFlags declares into
// the fields of an O, each with its help; run gets them parsed.
func withFlags[O any](setFlags func(opt *O, fs *flagSet), run func(e *env, opt O, args []string) int) func(*flagSet) action {
	return func(fs *flagSet) action {
		var opt O
		setFlags(&opt, fs)
		return func(e *env, args []string) int { return run(e, opt, args) }
	}
}

// noFlags makes the run of a command that has no flags.
func noFlags(run action) func(*flagSet) action {
	return func(*flagSet) action { return run }
}

// main runs c with args, the command line after c's name.
func (c *command) main(e *env, args []string) int {
	e.cmd = c
	fs := newFlagSet(c.name)
	act := c.run(fs)
	if !c.rawArgs {
		if err := fs.parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.help(e.stdout)
				return exitOK
			}
			return e.usageError("%v", err)
		}
		args = fs.set.Args()
	}
	return act(e, args)
}

// flags returns the flags c declares.
func (c *command) flags() *flagSet {
	fs := newFlagSet(c.name)
	c.run(fs)
	return fs
}

// synopsis is how to type c, after "workbook ": its name, each of its flags
// with the value it takes, and its positional arguments.
func (c *command) synopsis() string {
	words := []string{c.name}
	for _, f := range c.flags().flags {
		words = append(words, "["+flagSyntax(f)+"]")
	}
	if c.args != "" {
		words = append(words, c.args)
	}
	return strings.Join(words, " ")
}

// help writes the help of c: its synopsis, what it does, and each of its
// flags with its help text, indented by a tab.
func (c *command) help(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: workbook %s\n\n%s\n", c.synopsis(), strings.TrimSpace(c.long))
	if fs := c.flags(); len(fs.flags) > 0 {
		b.WriteString("\nThe flags are:\n\n")
		for _, f := range fs.flags {
			fmt.Fprintf(&b, "  %s\n", flagSyntax(f))
			_, usage := flag.UnquoteUsage(f)
			for _, line := range strings.Split(usage, "\n") {
				fmt.Fprintf(&b, "\t%s\n", line)
			}
		}
	}
	io.WriteString(w, b.String())
}

// flagSyntax is how to type the flag f: -v, or with the value it takes,
// -latency d.
func flagSyntax(f *flag.Flag) string {
	if v := valueName(f); v != "" {
		return "-" + f.Name + " " + v
	}
	return "-" + f.Name
}

// valueName names the value the flag f takes, as its synopsis and its help
// show it: the word its help text quotes in back quotes, as for
// flag.PrintDefaults, or else d for a duration and n for a number. A bool
// flag takes none.
func valueName(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	switch name {
	case "duration":
		return "d"
	case "int":
		return "n"
	}
	return name
}

// A flagSet holds the flags of a command. It is a flag.FlagSet that keeps
// the order the flags are declared in, so that the synopsis and the help
// list them in that order, and knows which flags are aliases of others.
type flagSet struct {
	set     *flag.FlagSet
	flags   []*flag.Flag      // in the order declared, without the aliases
	aliases map[string]string // an alias's name to its flag's
}

// newFlagSet returns the flag set of the command name. It reports errors
// to its caller, and prints nothing.
func newFlagSet(name string) *flagSet {
	set := flag.NewFlagSet("workbook "+name, flag.ContinueOnError)
	set.SetOutput(io.Discard)
	return &flagSet{set: set, aliases: map[string]string{}}
}

// The usage of a flag is its help text, broken into lines as help shows
// them, each after a tab; a word in back quotes names the flag's value, as
// for flag.PrintDefaults.

// BoolVar declares a bool flag, as flag.FlagSet.BoolVar does.
func (fs *flagSet) BoolVar(p *bool, name string, value bool, usage string) {
	fs.set.BoolVar(p, name, value, usage)
	fs.declared(name)
}

// DurationVar declares a time.Duration flag, as flag.FlagSet.DurationVar
// does.
func (fs *flagSet) DurationVar(p *time.Duration, name string, value time.Duration, usage string) {
	fs.set.DurationVar(p, name, value, usage)
	fs.declared(name)
}

// IntVar declares an int flag, as flag.FlagSet.IntVar does.
func (fs *flagSet) IntVar(p *int, name string, value int, usage string) {
	fs.set.IntVar(p, name, value, usage)
	fs.declared(name)
}

// Uint64Var declares a uint64 flag, as flag.FlagSet.Uint64Var does.
func (fs *flagSet) Uint64Var(p *uint64, name string, value uint64, usage string) {
	fs.set.Uint64Var(p, name, value, usage)
	fs.declared(name)
}

// StringVar declares a string flag, as flag.FlagSet.StringVar does.
func (fs *flagSet) StringVar(p *string, name string, value string, usage string) {
	fs.set.StringVar(p, name, value, usage)
	fs.declared(name)
}

// Var declares a flag whose value v holds, as flag.FlagSet.Var does: for a
// flag that may be given more than once (sql -e), or that takes a value of
// its own kind (run -explain=all).
func (fs *flagSet) Var(v flag.Value, name string, usage string) {
	fs.set.Var(v, name, usage)
	fs.declared(name)
}

// Alias declares name as another name of the flag of, declared before it.
// An alias is accepted, but neither the synopsis nor the help lists it.
func (fs *flagSet) Alias(name, of string) {
	f := fs.set.Lookup(of)
	fs.set.Var(f.Value, name, f.Usage)
	fs.aliases[name] = of
}

func (fs *flagSet) declared(name string) {
	fs.flags = append(fs.flags, fs.set.Lookup(name))
}

// parse parses the flags of args, which may come before or after the
// positional arguments.
func (fs *flagSet) parse(args []string) error {
	return fs.set.Parse(interleave(fs.set, args))
}

// interleave moves flags after positional arguments to the front, so that
// "workbook run 7 -v" works as well as "workbook run -v 7".
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") {
				if f := fs.Lookup(name); f != nil {
					if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
						if i+1 < len(args) {
							flags = append(flags, args[i+1])
							i++
						}
					}
				}
			}
			continue
		}
		rest = append(rest, a)
	}
	if len(rest) == 0 {
		return flags
	}
	// "--" keeps the flag package from reading a lesson named "-x" as a flag.
	return append(append(flags, "--"), rest...)
}
