package protocol

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEnvRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		env  Env
		want []string
	}{
		{"zero", Env{}, nil},
		{"learner run", Env{Results: "/tmp/r.jsonl", Explain: true, Latency: 2 * time.Millisecond, Scratch: "/dev/shm/workbook-run-1"},
			[]string{"WORKBOOK_RESULTS=/tmp/r.jsonl", "WORKBOOK_EXPLAIN=1", "WORKBOOK_LATENCY=2ms", "WORKBOOK_SCRATCH=/dev/shm/workbook-run-1"}},
		{"dev expected", Env{Results: "r", Update: true, CheckTimeout: 30 * time.Second},
			[]string{"WORKBOOK_RESULTS=r", "WORKBOOK_UPDATE=1", "WORKBOOK_CHECK_TIMEOUT=30s"}},
		{"graded", Env{Grading: "/x/workbook-private-1/grading.json"},
			[]string{"WORKBOOK_GRADE=/x/workbook-private-1/grading.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.env.Environ()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Environ() = %q, want %q", got, tt.want)
			}
			back, err := ParseEnv(append([]string{"HOME=/root", "PATH=/bin"}, got...))
			if err != nil || back != tt.env {
				t.Errorf("ParseEnv(Environ()) = %+v, %v; want %+v", back, err, tt.env)
			}
		})
	}
}

func TestParseEnvRefusesWhatItCannotMean(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"2ms", 2 * time.Millisecond, false},
		{"1.5ms", 1500 * time.Microsecond, false},
		{"0s", 0, true},
		{"-1ms", 0, true},
		{"2", 0, true},
		{"fast", 0, true},
	}
	for _, tt := range tests {
		for _, name := range []string{envLatency, envCheckTimeout} {
			env, err := ParseEnv([]string{name + "=" + tt.value, envExplain + "=1"})
			got := env.Latency
			if name == envCheckTimeout {
				got = env.CheckTimeout
			}
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("%s=%q: got %v, error %v; want %v, error %v", name, tt.value, got, err, tt.want, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%q: the error does not name the variable: %v", name, tt.value, err)
			}
			if !env.Explain {
				t.Errorf("%s=%q: a bad value lost the other variables", name, tt.value)
			}
		}
	}
}

func TestStripDropsEveryProtocolVariable(t *testing.T) {
	in := []string{"HOME=/root", "WORKBOOK_UPDATE=1", "WORKBOOK_SOMETHING_NEW=x", "GOFLAGS=-mod=mod", "WORKBOOK_GRADE=g"}
	got := Strip(in)
	if want := []string{"HOME=/root", "GOFLAGS=-mod=mod"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Strip = %q, want %q", got, want)
	}
}

func TestAllowances(t *testing.T) {
	if got := (Env{}).RunAllowance(5); got != 0 {
		t.Errorf("no latency: run allowance %s, want 0", got)
	}
	e := Env{Latency: time.Millisecond}
	if got, want := e.CheckAllowance(), 2*time.Second; got != want {
		t.Errorf("CheckAllowance = %s, want %s", got, want)
	}
	// A run allows every check the allowance on each of its data sets.
	if got, want := e.RunAllowance(2), 2*maxDataPerCheck*e.CheckAllowance(); got != want {
		t.Errorf("RunAllowance(2) = %s, want %s", got, want)
	}
}
