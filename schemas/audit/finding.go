// Package audit measures a dataset's scientific validity on its text, before anyone trains on it:
// probes leaked into train by wording, answers guessable from surface form, duplication and
// boilerplate a model would memorise, and text a careful writer would not have let through. It reads
// any factforge dataset through its manifest (any recipe, style, format, sharded or merged), streams
// the training rows, and reports findings with figures and verbatim examples. It knows no recipe.
package audit

import (
	"fmt"
	"unicode/utf8"
)

// Level is how much a finding matters.
type Level int

const (
	Info    Level = iota // a figure, for the record
	Warning              // worth a look; an error with --strict
	Error                // the dataset should not be trained on as it is
)

func (l Level) String() string { return [...]string{"info", "warning", "error"}[l] }

// MarshalText writes the level as its name in JSON.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	for _, v := range []Level{Info, Warning, Error} {
		if v.String() == string(b) {
			*l = v
			return nil
		}
	}
	return fmt.Errorf("unknown level %q", b)
}

// Finding is one measured figure of one check on one split (or slice of a split), with verbatim
// examples when it found something.
type Finding struct {
	Level   Level  `json:"level"`
	Check   string `json:"check"` // such as "leak.prompt_in_train", "lint.unfilled_slot"
	Dataset string `json:"dataset"`
	Config  string `json:"config"`
	Split   string `json:"split"`
	Slice   string `json:"slice,omitempty"` // a provenance column's value, "direction=d2p"
	// Count of Of rows (or items) have the property; Value is the figure reported (a share, a
	// count, an accuracy), as Message says.
	Count    int64    `json:"count"`
	Of       int64    `json:"of"`
	Value    float64  `json:"value"`
	Message  string   `json:"message"`
	Examples []string `json:"examples,omitempty"`
}

// Where names the finding's place: dataset config/split, and its slice.
func (f Finding) Where() string {
	w := f.Dataset
	switch {
	case f.Split != "":
		w = fmt.Sprintf("%s %s/%s", f.Dataset, f.Config, f.Split)
	case f.Config != "": // a finding over the config's splits together
		w = fmt.Sprintf("%s %s", f.Dataset, f.Config)
	}
	if f.Slice != "" {
		w += " [" + f.Slice + "]"
	}
	return w
}

// maxExamples is how many verbatim examples a finding carries.
const maxExamples = 2

// examples keeps up to maxExamples texts, each cut to a readable length.
type examples []string

func (e *examples) add(s string) {
	if len(*e) < maxExamples {
		*e = append(*e, clip(s, 300))
	}
}

// clip cuts s to at most n bytes, at a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
