package generators

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/factforge/factforge/schemas"
)

// AvoidedDataset is a dataset whose people a run must not name (--avoid-entities), with the sha256 of
// its manifest: the manifest lists every file's hash, so a changed dataset is an error rather than
// other data.
type AvoidedDataset struct {
	Path           string `json:"path"`
	ManifestSHA256 string `json:"manifest_sha256,omitempty"`
}

// nameRuns are the hashes of the runs of two and three capitalised words, starting with a first name
// of the library's name lists, that the avoided datasets hold in any string: texts, prompts,
// answers, choices, chat turns. A candidate name is avoided when its words are such a run. That may
// avoid more than names ("Emma Said"), never less: a name is found however the text goes on after
// it ("Dean Wiggins Celebrated as ...").
type nameRuns map[uint64]struct{}

// AvoidedNames tells whether a person's full name appears in a dataset the run avoids, or is nil when
// the run avoids none. The world stage leaves such names out of its pools.
func (c *Config) AvoidedNames() func(name string) bool {
	if c.avoid == nil {
		return nil
	}
	return func(name string) bool {
		_, ok := c.avoid[runHash(strings.Fields(name))]
		return ok
	}
}

// readAvoided reads the names of the datasets c avoids, checking each manifest's digest.
func (c *Config) readAvoided() error {
	if len(c.AvoidEntities) == 0 {
		return nil
	}
	firstNames := map[string]bool{}
	for _, list := range []string{"people/female", "people/male"} {
		words, err := c.Library().Words(list)
		if err != nil {
			return err
		}
		for _, w := range words {
			firstNames[w] = true
		}
	}
	c.avoid = nameRuns{}
	for i := range c.AvoidEntities {
		a := &c.AvoidEntities[i]
		digest, err := manifestDigest(a.Path)
		if err != nil {
			return fmt.Errorf("--avoid-entities %s: %w", a.Path, err)
		}
		if a.ManifestSHA256 != "" && a.ManifestSHA256 != digest {
			return fmt.Errorf("--avoid-entities %s: the dataset changed since this one was made (manifest sha256 %s, now %s)", a.Path, a.ManifestSHA256, digest)
		}
		a.ManifestSHA256 = digest
		if err := c.avoid.read(a.Path, firstNames); err != nil {
			return fmt.Errorf("--avoid-entities %s: %w", a.Path, err)
		}
	}
	return nil
}

func manifestDigest(dir string) (string, error) {
	if _, err := schemas.ReadManifest(dir); err != nil {
		return "", err
	}
	f, err := schemas.OpenRegular(filepath.Join(dir, schemas.ManifestName))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// read adds the name runs of every row of the dataset in dir, from one format's files.
func (n nameRuns) read(dir string, firstNames map[string]bool) error {
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		return err
	}
	for _, c := range m.Configs {
		s := c.Schema()
		need := make([]bool, len(s.Columns))
		for i, col := range s.Columns {
			need[i] = col.Type == schemas.String || col.Type == schemas.Strings || schemas.IsChat(col.Type)
		}
		for _, sp := range c.Splits {
			for _, f := range sp.Files {
				if f.Format != sp.Files[0].Format {
					continue // every format holds the same rows
				}
				for r, err := range schemas.ReadColumns(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Format, s, need) {
					if err != nil {
						return err
					}
					for i, col := range s.Columns {
						switch col.Type {
						case schemas.String:
							n.add(r[i].Str, firstNames)
						case schemas.Strings:
							for _, v := range r[i].List {
								n.add(v, firstNames)
							}
						case schemas.Messages, schemas.ReasoningMessages:
							for _, msg := range r[i].Msgs {
								n.add(msg.Reasoning, firstNames)
								n.add(msg.Content, firstNames)
							}
						}
					}
				}
			}
		}
	}
	return nil
}

// add keeps the runs of text that start with a first name.
func (n nameRuns) add(text string, firstNames map[string]bool) {
	words := strings.Fields(text)
	for i := range words {
		words[i] = nameWord(words[i])
	}
	for i, w := range words {
		if !firstNames[w] {
			continue
		}
		for k := 2; k <= 3 && i+k <= len(words); k++ {
			if !capitalised(words[i+k-1]) {
				break
			}
			n[runHash(words[i:i+k])] = struct{}{}
		}
	}
}

// nameWord is a word as a name has it: without the punctuation around it and without a possessive
// ("Wiggins's," -> "Wiggins").
func nameWord(w string) string {
	w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, s := range []string{"'s", "’s"} {
		w = strings.TrimSuffix(w, s)
	}
	return w
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func runHash(words []string) uint64 {
	h := fnv.New64a()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	return h.Sum64()
}
