package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// A manifest's counts are input too: before a command allocates anything by them, or indexes by them,
// ReadManifest checks that each is non-negative and at most its documented maximum, and that the
// shard and the rules are well formed. A count that is in range but wrong (a split's rows against its
// files, or against what its config makes) is a validation problem, found by reading the data.

// MaxManifestRows is the most rows a manifest may give a split or a file: 2^40 (about 10^12), far
// beyond what a run writes, and small enough that sums over a manifest's splits cannot overflow.
const MaxManifestRows = 1 << 40

// MaxManifestBytes is the most bytes a manifest may give a file: 2^50 (a pebibyte).
const MaxManifestBytes = 1 << 50

// MaxShards is the most shards a dataset may be made in: shard folders and files number them in five
// digits.
const MaxShards = 99999

// CardName is the dataset card's file name; the manifest hashes it.
const CardName = "README.md"

// NewCardEntry describes the card data, for the manifest.
func NewCardEntry(data []byte) *FileEntry {
	sum := sha256.Sum256(data)
	return &FileEntry{Path: CardName, Format: "markdown", Bytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
}

// checkCounts checks every count of m, its shard and the shape of its rules.
func (m *Manifest) checkCounts() error {
	if m.Card != nil && m.Card.Path != CardName {
		return fmt.Errorf("the card's path is %q, not %s", m.Card.Path, CardName)
	}
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			if sp.Rows < 0 || sp.Rows > MaxManifestRows {
				return fmt.Errorf("config %s, split %s: %d rows: a split holds 0 to %d rows", c.Name, sp.Name, sp.Rows, int64(MaxManifestRows))
			}
			for _, f := range sp.Files {
				if f.Rows < 0 || f.Rows > MaxManifestRows {
					return fmt.Errorf("config %s, split %s: file %s: %d rows: a file holds 0 to %d rows", c.Name, sp.Name, f.Path, f.Rows, int64(MaxManifestRows))
				}
				if f.Bytes < 0 || f.Bytes > MaxManifestBytes {
					return fmt.Errorf("config %s, split %s: file %s: %d bytes: a file holds 0 to %d bytes", c.Name, sp.Name, f.Path, f.Bytes, int64(MaxManifestBytes))
				}
			}
		}
	}
	for _, f := range []*FileEntry{m.Audit, m.Card} {
		if f != nil && (f.Bytes < 0 || f.Bytes > MaxManifestBytes) {
			return fmt.Errorf("file %s: %d bytes: a file holds 0 to %d bytes", f.Path, f.Bytes, int64(MaxManifestBytes))
		}
	}
	if s := m.Shard; s != nil {
		if s.Count < 1 || s.Count > MaxShards {
			return fmt.Errorf("shard count %d: a dataset is made in 1 to %d shards", s.Count, MaxShards)
		}
		if s.Index < 0 || s.Index >= s.Count {
			return fmt.Errorf("shard index %d of %d shards: shards count from 0 to %d", s.Index, s.Count, s.Count-1)
		}
	}
	for i, r := range m.Rules {
		if err := r.checkShape(); err != nil {
			return fmt.Errorf("rule %d (%q): %w", i+1, r.Doc, err)
		}
	}
	return nil
}

// checkShape checks what every check of a rule relies on: columns to key by, on each side it has, and
// as many on the right as on the left (one each for not_contained). Kinds it does not know are
// reported by validate, not here, so that the manifest still reads.
func (r Rule) checkShape() error {
	if len(r.Left.Columns) == 0 {
		return fmt.Errorf("%s rule selects no columns on its left", r.Kind)
	}
	switch r.Kind {
	case Disjoint, Subset, NotContained:
		if r.Right == nil {
			return fmt.Errorf("%s rule has no right selection", r.Kind)
		}
		if len(r.Right.Columns) != len(r.Left.Columns) {
			return fmt.Errorf("%s rule selects %d columns on its left and %d on its right", r.Kind, len(r.Left.Columns), len(r.Right.Columns))
		}
		if r.Kind == NotContained && len(r.Left.Columns) != 1 {
			return fmt.Errorf("not_contained rule selects %d columns: it compares one column on each side", len(r.Left.Columns))
		}
	}
	return nil
}
