package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Library finds template banks, word lists and YAML data: in a user's folder first, when it has one,
// then among the built-in files. In the user's folder, a file at a built-in file's path (such as
// banks/reversal/p2d.txt) replaces it, and a file beside it named <name>.add.txt adds to it. User files
// are data: templates fill named slots with text and nothing else.
type Library struct {
	dir  string
	user *userFiles // nil for the built-in library
}

// BuiltIn is the library of built-in files only.
var BuiltIn = &Library{}

// NewLibrary returns the library of dir's files over the built-in ones. The folder is read once, here,
// and checked as a whole (see readUserFiles): what the library hands out, and its digest, are the
// files as they were then.
func NewLibrary(dir string) (*Library, error) {
	files, err := readUserFiles(dir)
	if err != nil {
		return nil, err
	}
	return &Library{dir: dir, user: files}, nil
}

// moved are the built-in files that moved out of one recipe's folder when several came to read them:
// a user's file at the old path would otherwise be ignored without a word.
var moved = map[string]string{
	"banks/negation/claim-kinds.yaml": "banks/claims/kinds.yaml",
	"banks/negation/chat-notices.txt": "banks/chat/notices.txt",
	"banks/negation/genres/":          "banks/genres/",
	"words/negation/noun.txt":         "words/filler/noun.txt",
	"words/negation/adjective.txt":    "words/filler/adjective.txt",
	"words/negation/month.txt":        "words/filler/month.txt",
	"words/negation/event.txt":        "words/claims/event.txt",
	"words/negation/award.txt":        "words/claims/award.txt",
	"words/negation/thing.txt":        "words/claims/thing.txt",
	"words/negation/place.txt":        "words/claims/place.txt",
	"words/negation/discovery.txt":    "words/claims/discovery.txt",
}

// read returns a file: the user's version when there is one, else the built-in one, with the path to
// name it by in errors.
func (l *Library) read(rel string) ([]byte, string, error) {
	if l.user != nil {
		if data, ok := l.user.data[rel]; ok {
			return data, filepath.Join(l.dir, rel), nil
		}
	}
	data, err := files.ReadFile(rel)
	return data, "templates/" + rel, err
}

// addition returns the user's additions to a file, if any.
func (l *Library) addition(rel string) ([]byte, string, bool) {
	if l.user == nil {
		return nil, "", false
	}
	add := strings.TrimSuffix(rel, ".txt") + ".add.txt"
	data, ok := l.user.data[add]
	return data, filepath.Join(l.dir, add), ok
}

// Bank compiles the bank banks/<name>.txt against slots, with the user's additions.
func (l *Library) Bank(name string, slots ...string) (*Bank, error) {
	rel := path.Join("banks", name+".txt")
	data, p, err := l.read(rel)
	if err != nil {
		return nil, fmt.Errorf("no template bank %q", name)
	}
	b, err := ParseBank(p, bytes.NewReader(data), slots)
	if err != nil {
		return nil, err
	}
	if data, p, ok := l.addition(rel); ok {
		more, err := ParseBank(p, bytes.NewReader(data), slots)
		if err != nil {
			return nil, err
		}
		if err := b.add(more); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Words returns the word list words/<name>.txt, with the user's additions: one entry a line, blank
// lines and lines starting with '#' skipped. A repeated entry is an error, because callers rely on
// distinct entries to build unique names.
func (l *Library) Words(name string) ([]string, error) {
	rel := path.Join("words", name+".txt")
	data, p, err := l.read(rel)
	if err != nil {
		return nil, fmt.Errorf("no word list %q", name)
	}
	seen := map[string]string{}
	var out []string
	parse := func(data []byte, p string) error {
		return eachLine(p, data, func(line int, text string) error {
			w := strings.TrimSpace(text)
			if w == "" || w[0] == '#' {
				return nil
			}
			here := fmt.Sprintf("%s:%d", p, line)
			if prev, dup := seen[w]; dup {
				return &SyntaxError{Path: p, Line: line, Err: fmt.Errorf("%q repeats %s", w, prev)}
			}
			seen[w] = here
			out = append(out, w)
			return nil
		})
	}
	if err := parse(data, p); err != nil {
		return nil, err
	}
	if data, p, ok := l.addition(rel); ok {
		if err := parse(data, p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DecodeYAML decodes the YAML file banks/<name> into v, rejecting unknown keys, repeated keys and a
// second document.
func (l *Library) DecodeYAML(name string, v any) error {
	data, p, err := l.read(path.Join("banks", name))
	if err != nil {
		return fmt.Errorf("no data file %q", name)
	}
	if err := eachLine(p, data, func(int, string) error { return nil }); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		return &SyntaxError{Path: p, Line: more.Line, Err: errors.New("a second YAML document: a data file is one document")}
	} else if !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// Digest is the sha256 of the user's files (their paths and contents), "" for the built-in library:
// what a dataset records so that it can be made again from the same templates.
func (l *Library) Digest() (string, error) {
	if l.user == nil {
		return "", nil
	}
	h := sha256.New()
	for _, p := range l.user.paths {
		data := l.user.data[p]
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// LoadBank loads a bank whose templates may use slots, and checks that each of them uses every one of
// them.
func (l *Library) LoadBank(name string, slots ...string) (*Bank, error) {
	return l.BankRequiring(name, slots, slots...)
}

// BankRequiring loads a bank whose templates may use slots, and checks that each of them uses the
// required ones.
func (l *Library) BankRequiring(name string, slots []string, required ...string) (*Bank, error) {
	b, err := l.Bank(name, slots...)
	if err != nil {
		return nil, err
	}
	return b, b.RequireSlots(required...)
}
