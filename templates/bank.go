package templates

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Split tags a template for training or for held-out evaluation only.
type Split uint8

const (
	Train Split = iota
	HeldOut
)

func (s Split) String() string {
	if s == HeldOut {
		return "heldout"
	}
	return "train"
}

// ErrSplitTag and ErrDuplicateID are reported, wrapped in a *SyntaxError, for bad bank lines.
var (
	ErrSplitTag    = errors.New(`split tag must be "train" or "heldout"`)
	ErrDuplicateID = errors.New("duplicate template id")
)

// SyntaxError locates a problem in a bank file.
type SyntaxError struct {
	Path string
	Line int
	Err  error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err) }
func (e *SyntaxError) Unwrap() error { return e.Err }

// Bank is an ordered set of templates for one relation and role, compiled against one slot list.
type Bank struct {
	Name  string
	Slots []string
	all   []*Template
	train []*Template
	held  []*Template
}

// ParseBank reads a bank file. Each non-blank line that does not start with '#' is
//
//	<id> <split> <template text>
//
// where split is train or heldout. Path names the file in errors.
func ParseBank(path string, r io.Reader, slots []string) (*Bank, error) {
	b := &Bank{Name: path, Slots: append([]string(nil), slots...)}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: %w", path, errFileTooLarge)
	}
	seen := map[string]int{}
	err = eachLine(path, data, func(line int, text string) error {
		raw := strings.TrimSpace(text)
		if raw == "" || raw[0] == '#' {
			return nil
		}
		fail := func(err error) error { return &SyntaxError{Path: path, Line: line, Err: err} }
		id, rest, _ := strings.Cut(raw, " ")
		tag, text, _ := strings.Cut(strings.TrimSpace(rest), " ")
		text = strings.TrimSpace(text)
		var split Split
		switch tag {
		case "train":
			split = Train
		case "heldout":
			split = HeldOut
		default:
			return fail(fmt.Errorf("%w, got %q", ErrSplitTag, tag))
		}
		if prev, dup := seen[id]; dup {
			return fail(fmt.Errorf("%w %q (first on line %d)", ErrDuplicateID, id, prev))
		}
		seen[id] = line
		t, err := Compile(text, b.Slots)
		if err != nil {
			return fail(err)
		}
		t.ID, t.Split, t.file = id, split, path
		b.all = append(b.all, t)
		if split == HeldOut {
			b.held = append(b.held, t)
		} else {
			b.train = append(b.train, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(b.all) == 0 {
		return nil, &SyntaxError{Path: path, Line: 0, Err: ErrEmpty}
	}
	return b, nil
}

// add appends another bank's templates, refusing an id both have.
func (b *Bank) add(more *Bank) error {
	ids := map[string]bool{}
	for _, t := range b.all {
		ids[t.ID] = true
	}
	for _, t := range more.all {
		if ids[t.ID] {
			return fmt.Errorf("%s: %w %q, which %s already has", more.Name, ErrDuplicateID, t.ID, b.Name)
		}
		b.all = append(b.all, t)
		if t.Split == HeldOut {
			b.held = append(b.held, t)
		} else {
			b.train = append(b.train, t)
		}
	}
	return nil
}

// Templates returns the templates tagged with split, in file order.
func (b *Bank) Templates(split Split) []*Template {
	if split == HeldOut {
		return b.held
	}
	return b.train
}

// All returns every template in file order.
func (b *Bank) All() []*Template { return b.all }

// RequireSlots checks that every template uses each named slot, naming the first that does not.
func (b *Bank) RequireSlots(names ...string) error {
	for _, name := range names {
		slot := indexOf(b.Slots, name)
		for _, t := range b.all {
			if !t.Uses(slot) {
				return fmt.Errorf("%s: template %s does not use slot {%s}", t.File(), t.ID, name)
			}
		}
	}
	return nil
}

// IDs returns the ids of the templates tagged with split.
func (b *Bank) IDs(split Split) []string {
	ts := b.Templates(split)
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}

// GroupByID sorts the bank's templates, in bank order, by the first parts dash-separated parts of
// their ids (the whole id when it has fewer): banks of several roles ("before-1", "after-3", "body-7";
// "formal-before-2") are read this way.
func (b *Bank) GroupByID(parts int) map[string][]*Template {
	out := map[string][]*Template{}
	for _, t := range b.all {
		key := t.ID
		if fields := strings.SplitN(t.ID, "-", parts+1); len(fields) > parts {
			key = strings.Join(fields[:parts], "-")
		}
		out[key] = append(out[key], t)
	}
	return out
}

// Need checks that the bank holds the n templates of a split that flag asks for.
func (b *Bank) Need(split Split, n int, flag string) error {
	if have := len(b.Templates(split)); have < n {
		return fmt.Errorf("--%s %d: template bank %s has only %d %s templates", flag, n, b.Name, have, split)
	}
	return nil
}
