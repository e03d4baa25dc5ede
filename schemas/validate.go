package schemas

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
)

// Validate checks the dataset in dir against its manifest: every listed file exists with the recorded
// size, sha256 and row count, no file the manifest does not list is present, the card (README.md) has
// its hash and says what the manifest says, every file has its config's schema,
// the formats of a split hold the same rows in the same order, and every rule holds. It returns the
// problems found; err is for a dataset it could not read at all, or for ctx ending first: Validate
// stops soon after ctx is cancelled and returns an error wrapping ctx.Err().
//
// A dataset replaced while it is read (a generate --force of the same name renames the new one into
// place) would show mismatches it does not have: Validate then says it was replaced, and reports
// nothing else.
func Validate(ctx context.Context, dir string) (problems []string, err error) {
	err = whole(dir, func() error {
		problems, err = validate(ctx, dir)
		return err
	})
	return problems, err
}

// whole runs read, which reads the dataset in dir, and says so when the dataset was replaced
// meanwhile (a generate --force of its name renames the new one into place): what read found is then
// of two datasets, and is dropped.
func whole(dir string, read func() error) error {
	before, err := os.Stat(dir)
	if err != nil {
		return read() // which says what is wrong with dir
	}
	err = read()
	validated()
	if after, serr := os.Stat(dir); serr != nil || !os.SameFile(before, after) {
		return fmt.Errorf("%s was replaced while it was being read (a run with --force?): try again", dir)
	}
	return err
}

// validated is called once whole's read has ended: tests replace the dataset there.
var validated = func() {}

// validate is Validate of a dataset nobody replaces meanwhile.
func validate(ctx context.Context, dir string) (problems []string, err error) {
	if err := ctx.Err(); err != nil {
		return nil, stopped(dir, err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	problems = append(problems, checkUnlisted(dir, m)...)
	found, err := checkCard(ctx, dir, m)
	if err != nil {
		return nil, stopped(dir, err)
	}
	problems = append(problems, found...)
	if m.Audit != nil { // the audit report made with the dataset
		size, sum, err := hashFile(ctx, filepath.Join(dir, filepath.FromSlash(m.Audit.Path)))
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, stopped(dir, err)
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", m.Audit.Path, err))
		case size != m.Audit.Bytes || sum != m.Audit.SHA256:
			problems = append(problems, fmt.Sprintf("%s: %d bytes, sha256 %s; manifest says %d bytes, %s", m.Audit.Path, size, sum, m.Audit.Bytes, m.Audit.SHA256))
		}
	}
	found, err = validateData(ctx, dir, m, inFolder(dir))
	if err != nil {
		return nil, err
	}
	return append(problems, found...), nil
}

// Locator gives the path of a file a manifest lists (a slash path relative to its dataset).
type Locator func(rel string) string

// inFolder locates the files of the dataset in dir.
func inFolder(dir string) Locator {
	return func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
}

// ValidateData checks the data files a manifest lists against it, wherever loc finds them (such as
// the shard folders a merge is about to assemble): sizes, sha256s, row counts, schemas, formats that
// agree, and every rule. It does not look at the files beside them or at a card; name is the
// dataset's, for the error when ctx ends first.
func ValidateData(ctx context.Context, name string, m *Manifest, loc Locator) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, stopped(name, err)
	}
	return validateData(ctx, name, m, loc)
}

func validateData(ctx context.Context, dir string, m *Manifest, loc Locator) (problems []string, err error) {
	checks := make([]*ruleCheck, len(m.Rules))
	for i, r := range m.Rules {
		if r.ForAudit() { // audit's to measure, on the text
			continue
		}
		if checks[i], err = newRuleCheck(r); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if r.Kind == Unique { // room for every key at once, up to a bound the manifest cannot raise
			checks[i].hashes = make([]uint64, 0, min(m.rowsOf(r.Left), maxRowsAhead))
		}
	}
	for _, c := range m.Configs {
		schema := c.Schema()
		if err := schema.Check(); err != nil {
			problems = append(problems, fmt.Sprintf("config %s: %v", c.Name, err))
			continue
		}
		lefts, rights := make([]*bound, len(checks)), make([]*bound, len(checks))
		for i, rc := range checks {
			if rc == nil {
				continue
			}
			var err error
			if lefts[i], err = bindFor(&rc.rule.Left, c.Name, schema); err == nil {
				rights[i], err = bindFor(rc.rule.Right, c.Name, schema)
			}
			if err != nil {
				problems = append(problems, err.Error())
				checks[i] = nil
			}
		}
		for _, sp := range c.Splits {
			found, err := checkSplit(ctx, loc, c.Name, schema, sp, func(r Row) {
				for i, rc := range checks {
					if rc != nil {
						rc.observe(c.Name, sp.Name, schema, lefts[i], rights[i], r)
					}
				}
			})
			if err != nil {
				return nil, stopped(dir, err)
			}
			problems = append(problems, found...)
		}
	}
	// Second passes: NotContained rules need every left value before reading the right side, and
	// Unique rules whose key hashes repeat read their left side again for the keys behind them.
	for _, rc := range checks {
		if err := ctx.Err(); err != nil {
			return nil, stopped(dir, err)
		}
		switch {
		case rc == nil:
		case rc.rule.Kind == NotContained:
			for _, s := range m.selected(*rc.rule.Right) {
				col := s.schema.Index(rc.rule.Right.Columns[0])
				if col < 0 {
					continue
				}
				for r := range splitRows(ctx, loc, s.schema, s.split) {
					rc.contains(r[col].Str)
				}
			}
		case rc.rule.Kind == Unique && rc.repeatedHashes():
			for _, s := range m.selected(rc.rule.Left) {
				lb, err := bind(rc.rule.Left, s.schema)
				if err != nil {
					continue // reported by the first pass
				}
				for r := range splitRows(ctx, loc, s.schema, s.split) {
					rc.observe(s.config, s.split.Name, s.schema, &lb, nil, r)
				}
			}
		}
	}
	if err := ctx.Err(); err != nil { // a second pass cut short by ctx
		return nil, stopped(dir, err)
	}
	for _, rc := range checks {
		if rc != nil {
			if v := rc.verdict(); v != "" {
				problems = append(problems, v)
			}
		}
	}
	return problems, nil
}

// maxRowsAhead bounds what Validate allocates ahead by a manifest's row counts (8 bytes a row): past
// it, the arrays grow with the rows actually read, so a manifest that overstates them costs nothing.
const maxRowsAhead = 1 << 22

// cancelCheckRows is how many rows Validate and Stats read between two looks at their context: often
// enough to stop within milliseconds, rarely enough to cost nothing.
const cancelCheckRows = 4096

// stopped is the error of a validation that ctx ended.
func stopped(dir string, err error) error { return fmt.Errorf("%s: validation stopped: %w", dir, err) }

// ContextReader reads from R until Ctx ends, so that hashing or copying a large file stops with it.
type ContextReader struct {
	Ctx context.Context
	R   io.Reader
}

func (c ContextReader) Read(p []byte) (int, error) {
	if err := c.Ctx.Err(); err != nil {
		return 0, err
	}
	return c.R.Read(p)
}

// selectedSplit is a split a selection selects, with its config's name and schema.
type selectedSplit struct {
	config string
	split  SplitEntry
	schema Schema
}

// selected lists the splits sel selects.
func (m *Manifest) selected(sel Selection) []selectedSplit {
	var out []selectedSplit
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			if sel.matches(c.Name, sp.Name) {
				out = append(out, selectedSplit{c.Name, sp, c.Schema()})
			}
		}
	}
	return out
}

// rowsOf is how many rows the splits sel selects hold.
func (m *Manifest) rowsOf(sel Selection) int64 {
	var n int64
	for _, s := range m.selected(sel) {
		n += s.split.Rows
	}
	return n
}

// splitRows reads the rows of a split again, from every file of its first format, stopping at the
// first error (which the first pass reported) or soon after ctx ends (which the caller checks).
func splitRows(ctx context.Context, loc Locator, schema Schema, sp SplitEntry) iter.Seq[Row] {
	return func(yield func(Row) bool) {
		var n int
		for r, err := range splitRowsAt(loc, sp, schema) {
			if err != nil || !yield(r) {
				return
			}
			if n++; n%cancelCheckRows == 0 && ctx.Err() != nil {
				return
			}
		}
	}
}

// bindFor resolves sel against the schema of config, or returns nil when sel selects another config.
func bindFor(sel *Selection, config string, schema Schema) (*bound, error) {
	if sel == nil || sel.Config != config {
		return nil, nil
	}
	b, err := bind(*sel, schema)
	return &b, err
}

// checkSplit verifies the files of one split and feeds its rows to observe. A split may be in several
// files per format (the shards of a merged dataset): each format's files are read in order as one
// stream, and the formats must agree row for row. Its error is ctx's, when ctx ends first.
func checkSplit(ctx context.Context, loc Locator, config string, schema Schema, sp SplitEntry, observe func(Row)) (problems []string, err error) {
	var formats []string
	byFormat := map[string][]FileEntry{}
	for _, fe := range sp.Files {
		if byFormat[fe.Format] == nil {
			formats = append(formats, fe.Format)
		}
		byFormat[fe.Format] = append(byFormat[fe.Format], fe)
	}
	for _, fe := range sp.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path := loc(fe.Path)
		size, sum, err := hashFile(ctx, path)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", fe.Path, err))
			continue
		case size != fe.Bytes:
			problems = append(problems, fmt.Sprintf("%s: %d bytes, manifest says %d", fe.Path, size, fe.Bytes))
		case sum != fe.SHA256:
			problems = append(problems, fmt.Sprintf("%s: sha256 %s, manifest says %s", fe.Path, sum, fe.SHA256))
		}
	}
	var streams []iter.Seq2[Row, error]
	for _, format := range formats {
		var total int64
		for _, fe := range byFormat[format] {
			total += fe.Rows
		}
		if total != sp.Rows {
			problems = append(problems, fmt.Sprintf("%s/%s: manifest lists %d %s rows in its files, %d for the split", config, sp.Name, total, format, sp.Rows))
		}
		v, err := newJSONValidator(schema, config)
		if err != nil {
			return append(problems, fmt.Sprintf("%s/%s: JSON Schema: %v", config, sp.Name, err)), nil
		}
		streams = append(streams, chainFiles(loc, schema, byFormat[format], v, &problems))
	}
	if len(streams) == 0 {
		return problems, nil
	}
	pulls := make([]func() (Row, error, bool), len(streams))
	for i, s := range streams {
		next, stop := iter.Pull2(s)
		defer stop()
		pulls[i] = next
	}
	var rows int64
	for {
		if rows%cancelCheckRows == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		first, err, ok := pulls[0]()
		if err != nil {
			return append(problems, err.Error()), nil
		}
		for i := 1; i < len(pulls); i++ {
			other, err, more := pulls[i]()
			if err != nil {
				return append(problems, err.Error()), nil
			}
			if more != ok || (ok && !RowsEqual(first, other)) {
				return append(problems, fmt.Sprintf("%s/%s: the %s and %s files differ at row %d", config, sp.Name, formats[0], formats[i], rows)), nil
			}
		}
		if !ok {
			break
		}
		observe(first)
		rows++
	}
	if rows != sp.Rows {
		problems = append(problems, fmt.Sprintf("%s/%s: %d rows, manifest says %d", config, sp.Name, rows, sp.Rows))
	}
	return problems, nil
}

// chainFiles reads one format's files of a split in order, as one stream, noting in problems a file
// whose row count is not the manifest's.
func chainFiles(loc Locator, schema Schema, files []FileEntry, v *jsonValidator, problems *[]string) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for _, fe := range files {
			path := loc(fe.Path)
			rows := ReadParquet(path, schema)
			if fe.Format == "jsonl" {
				rows = readJSONL(path, schema, v, nil)
			}
			var n int64
			for r, err := range rows {
				if !yield(r, err) || err != nil {
					return
				}
				n++
			}
			if n != fe.Rows {
				*problems = append(*problems, fmt.Sprintf("%s: %d rows, manifest says %d", fe.Path, n, fe.Rows))
			}
		}
	}
}

// hashFile returns the size and sha256 of a file, reading it until ctx ends.
func hashFile(ctx context.Context, path string) (int64, string, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, ContextReader{ctx, f}, make([]byte, 1<<20))
	return n, hex.EncodeToString(h.Sum(nil)), err
}
