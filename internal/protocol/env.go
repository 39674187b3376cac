package protocol

import (
	"fmt"
	"strings"
	"time"
)

// EnvPrefix begins the name of every environment variable of the protocol.
// A runner drops every inherited variable with this prefix (see [Strip]),
// so that only what it sets itself steers the checks.
const EnvPrefix = "WORKBOOK_"

// The environment variables, each a field of [Env].
const (
	envResults      = EnvPrefix + "RESULTS"
	envUpdate       = EnvPrefix + "UPDATE"
	envCheckTimeout = EnvPrefix + "CHECK_TIMEOUT"
	envExplain      = EnvPrefix + "EXPLAIN"
	envLatency      = EnvPrefix + "LATENCY"
	envGrade        = EnvPrefix + "GRADE"
	envScratch      = EnvPrefix + "SCRATCH"
)

// Env is what a checks program is told through its environment. The zero
// value asks for nothing: checks run with their own limits and report only
// through the testing package.
type Env struct {
	// Results is the file the checker appends its records to
	// (WORKBOOK_RESULTS); empty for none.
	Results string
	// Update makes the checks write their expected files instead of
	// comparing with them (WORKBOOK_UPDATE=1), for `workbook dev expected`
	// with the reference solution in place.
	Update bool
	// CheckTimeout overrides every check's own limit on each data set
	// (WORKBOOK_CHECK_TIMEOUT, a Go duration); 0 keeps the checks' own.
	CheckTimeout time.Duration
	// Explain keeps each check's whole statement log in its verdict
	// (WORKBOOK_EXPLAIN=1), for `workbook run -explain`.
	Explain bool
	// Latency makes every statement of the learner's code wait that long
	// after SQLite answers, as a database across a network would
	// (WORKBOOK_LATENCY, a Go duration); 0 for none.
	Latency time.Duration
	// Grading is the path of a graded run's GradingFile (WORKBOOK_GRADE);
	// empty outside a graded run. See [Grading].
	Grading string
	// Scratch is a folder of the run's own where the checks put their
	// private copies of the data (WORKBOOK_SCRATCH); the runner removes it
	// after the run, even one killed before the checks could clean up.
	// Empty leaves the checker's own choice. A graded run names its own in
	// its [Grading].
	Scratch string
}

// Environ returns e as environment variables, NAME=value, leaving out the
// fields at their zero value.
func (e Env) Environ() []string {
	var out []string
	add := func(name, value string) { out = append(out, name+"="+value) }
	if e.Results != "" {
		add(envResults, e.Results)
	}
	if e.Update {
		add(envUpdate, "1")
	}
	if e.CheckTimeout > 0 {
		add(envCheckTimeout, e.CheckTimeout.String())
	}
	if e.Explain {
		add(envExplain, "1")
	}
	if e.Latency > 0 {
		add(envLatency, e.Latency.String())
	}
	if e.Grading != "" {
		add(envGrade, e.Grading)
	}
	if e.Scratch != "" {
		add(envScratch, e.Scratch)
	}
	return out
}

// ParseEnv reads the protocol's variables from environ (as [os.Environ]
// returns it; a later value of a name wins). A variable set to something it
// cannot mean is an error that names it; the Env returned then holds the
// other variables.
func ParseEnv(environ []string) (Env, error) {
	var e Env
	var problems []string
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, EnvPrefix) {
			continue
		}
		switch name {
		case envResults:
			e.Results = value
		case envUpdate:
			e.Update = value == "1"
		case envExplain:
			e.Explain = value == "1"
		case envGrade:
			e.Grading = value
		case envScratch:
			e.Scratch = value
		case envCheckTimeout:
			d, err := positive(name, value, "5s")
			if err != nil {
				problems = append(problems, err.Error())
			}
			e.CheckTimeout = d
		case envLatency:
			d, err := positive(name, value, "2ms")
			if err != nil {
				problems = append(problems, err.Error())
			}
			e.Latency = d
		}
	}
	if len(problems) > 0 {
		return e, fmt.Errorf("protocol: %s", strings.Join(problems, "; "))
	}
	return e, nil
}

// positive reads an empty value as 0, and otherwise a positive Go duration.
func positive(name, value, example string) (time.Duration, error) {
	if value == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(value)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive duration such as %s", name, value, example)
	}
	return d, nil
}

// Strip returns environ without the protocol's variables: what a runner
// passes on from its own environment before adding the [Env] of the run. A
// WORKBOOK_UPDATE left exported after writing a lesson must not turn a
// learner's run into one that rewrites expected results.
func Strip(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, EnvPrefix) {
			out = append(out, kv)
		}
	}
	return out
}

// GradingVariable is the name of the variable that holds [Env.Grading]:
// the checker unsets it as it reads it, so that the learner's code does not
// find the private folder's path in the environment.
const GradingVariable = envGrade

// Latency allowance: a simulated round trip per statement slows code that
// sends many statements, as it would across a network. A check on one data
// set is allowed 2,000 round trips more than its own limit, so that 1 + N
// statements on 1,000 rows are slow, as they would be, rather than stopped.
const allowedRoundTrips = 2000

// maxDataPerCheck is the most data sets a check of the workbook runs on
// (the capstone's three); a run's allowance assumes it for every check,
// since only the checks know their data sets.
const maxDataPerCheck = 3

// CheckAllowance returns how much longer than its own limit a check may
// run on one data set under the latency of e.
func (e Env) CheckAllowance() time.Duration {
	return allowedRoundTrips * e.Latency
}

// RunAllowance returns how much longer than its own limit a run of a
// lesson with the given number of checks may take under the latency of e:
// every check's allowance on as many data sets as a check may have.
func (e Env) RunAllowance(checks int) time.Duration {
	return time.Duration(checks*maxDataPerCheck) * e.CheckAllowance()
}
