package export

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path/filepath"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// RecordName is the file that says what a provider export holds: the files, their rows and hashes.
const RecordName = "export.json"

// TrainConfig is the dataset config whose splits are exported.
const TrainConfig = "train"

// BOM is the UTF-8 byte-order mark that starts every Azure file.
const BOM = "\ufeff"

// Record is export.json: what an export folder holds and how it was made.
type Record struct {
	Provider string `json:"provider"`
	Source   string `json:"source"` // where the provider documents the format and limit
	Recipe   string `json:"recipe"`
	Seed     uint64 `json:"seed"`
	Version  string `json:"factforge_version"` // of the dataset
	Style    string `json:"style"`
	Form     string `json:"form"` // the provider's format the rows were written in
	MaxBytes int64  `json:"max_bytes,omitempty"`
	BOM      bool   `json:"bom"`
	// Notes say what was changed on the way, such as a prompt and completion made a chat.
	Notes []string     `json:"notes,omitempty"`
	Files []FileRecord `json:"files"`
}

// FileRecord is one data file and its provenance sidecar.
type FileRecord struct {
	Path       string   `json:"path"`
	Provenance string   `json:"provenance"` // the sidecar: line number -> the row's id and provenance
	Use        string   `json:"use"`        // training or validation
	Config     string   `json:"config"`     // the dataset config its rows come from
	Splits     []string `json:"splits"`     // the dataset's splits its rows come from
	Rows       int64    `json:"rows"`
	Bytes      int64    `json:"bytes"`
	SHA256     string   `json:"sha256"`
}

// writeProvider writes the training splits of src for provider p into out (and the eval splits
// opts.Validation names, as a validation file set), with export.json, and returns a summary: the form
// and limit, then a line per file and the notes.
func writeProvider(ctx context.Context, src Source, out *Folder, p Provider, opts Options) ([]string, error) {
	dir, m := src.Dir, src.Manifest
	cfg := m.ConfigNamed(TrainConfig)
	if cfg == nil || len(cfg.Splits) == 0 {
		return nil, schemas.InputErrorf("%s has no %q config with splits: nothing to train on", dir, TrainConfig)
	}
	style, err := styleOf(cfg.Schema())
	if err != nil {
		return nil, err
	}
	encode := p.encode[style]
	if encode == nil {
		return nil, schemas.InputErrorf("%s: --for %s cannot take the %s style: %s", dir, p.Name, style, p.refuse[style])
	}
	evalCfg, evalSplits, err := validationSplits(m, p, style, opts.Validation)
	if err != nil {
		return nil, err
	}
	for _, s := range cfg.Splits {
		// a split's name becomes a file name: one a tampered manifest gives must not leave the folder
		if err := schemas.CheckName(s.Name); err != nil && len(cfg.Splits) > 1 && !opts.Join {
			return nil, schemas.InputErrorf("%s: training split %q cannot name a file: %v", dir, s.Name, err)
		}
		if evalCfg != nil && !opts.Join && len(cfg.Splits) > 1 && s.Name == "validation" {
			return nil, schemas.InputErrorf("--validation: a training split is named validation, and its files would be the validation file's: add --join")
		}
	}
	if opts.MaxBytes < 0 {
		return nil, schemas.InputErrorf("--max-bytes must be positive")
	}
	limit := p.MaxBytes
	if opts.MaxBytes > 0 {
		limit = opts.MaxBytes
	}
	rec := &Record{Provider: p.Name, Source: p.Source, Recipe: m.Recipe, Seed: m.Seed, Version: m.Version, Style: string(style),
		Form: p.kind[style], MaxBytes: limit, BOM: p.BOM, Notes: notes(p, style, len(opts.Validation) > 0)}
	if len(cfg.Splits) > 1 && !opts.Join {
		rec.Notes = append(rec.Notes, fmt.Sprintf("the %d training splits are %d file sets, named after their splits: train on the ones the experiment calls for, or export with --join for one set holding them all", len(cfg.Splits), len(cfg.Splits)))
	}

	w := &writer{out: out, p: p, limit: limit, encode: encode, style: style, config: TrainConfig, use: "training", schema: cfg.Schema(), rec: rec}
	if err := w.init(); err != nil {
		return nil, err
	}
	w.contentOf = w.trainContent
	groups := [][]schemas.SplitEntry{}
	if opts.Join {
		groups = append(groups, cfg.Splits)
	} else {
		for _, s := range cfg.Splits {
			groups = append(groups, []schemas.SplitEntry{s})
		}
	}
	for _, g := range groups {
		name := TrainConfig
		if !opts.Join && len(cfg.Splits) > 1 {
			name = g[0].Name
		}
		if err := w.writeSet(ctx, dir, name, g); err != nil {
			return nil, err
		}
	}
	if len(rec.Files) == 0 {
		return nil, schemas.InputErrorf("%s: the %q config's splits hold no rows: nothing to train on", dir, TrainConfig)
	}
	if evalCfg != nil {
		v := &writer{out: out, p: p, limit: limit, encode: encode, style: style, config: EvalConfig, use: "validation", schema: evalCfg.Schema(), rec: rec}
		if err := v.init(); err != nil {
			return nil, err
		}
		v.contentOf = v.evalContent
		if v.p.chat[style] {
			v.encode = asChat
		}
		if err := v.writeSet(ctx, dir, "validation", evalSplits); err != nil {
			return nil, err
		}
	}
	var small []string
	fewest := int64(-1)
	for _, f := range rec.Files {
		if f.Use == "training" && f.Rows < p.MinRows {
			small = append(small, f.Path)
			if fewest < 0 || f.Rows < fewest {
				fewest = f.Rows
			}
		}
	}
	switch {
	case len(small) == 1:
		rec.Notes = append(rec.Notes, fmt.Sprintf("%s holds %d examples, and %s takes a training file of at least %d", small[0], fewest, p.Name, p.MinRows))
	case len(small) > 1:
		rec.Notes = append(rec.Notes, fmt.Sprintf("%d training files (%s, ...) hold fewer than %d examples (the fewest %d), the least %s takes", len(small), small[0], p.MinRows, fewest, p.Name))
	}
	if p.Name == "axolotl" {
		if err := out.WriteFile(AxolotlName, []byte(axolotlDatasets(rec, src.Out))); err != nil {
			return nil, err
		}
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := out.WriteFile(RecordName, append(data, '\n')); err != nil {
		return nil, err
	}
	return rec.Summary(), nil
}

// Summary says what the export holds: its form and limit, a line per file, and the notes.
func (rec *Record) Summary() []string {
	head := fmt.Sprintf("%s rows as %s for %s", rec.Style, rec.Form, rec.Provider)
	if rec.MaxBytes > 0 {
		head += fmt.Sprintf(", files under %d bytes", rec.MaxBytes)
	}
	lines := []string{head}
	for _, f := range rec.Files {
		splits := make([]string, len(f.Splits))
		for i, s := range f.Splits {
			splits[i] = f.Config + "/" + s
		}
		lines = append(lines, fmt.Sprintf("  %s  %d rows, %d bytes (%s: %s); provenance %s", f.Path, f.Rows, f.Bytes, f.Use, strings.Join(splits, ", "), f.Provenance))
	}
	for _, n := range rec.Notes {
		lines = append(lines, "  note: "+n)
	}
	return lines
}

// notes says what an export changes on the way, for the record and the command's summary.
func notes(p Provider, style Style, validation bool) []string {
	var n []string
	if style == StylePromptCompletion && p.chat[style] {
		n = append(n, "each prompt is the user turn and its completion, without its leading space, the assistant's reply (an empty prompt makes no user turn): "+p.Name+" fine-tunes chat models only")
	}
	if p.BOM {
		n = append(n, "every file starts with a UTF-8 byte-order mark, as Azure OpenAI's documentation asks")
	}
	if p.kind[style] == "input_output" {
		n = append(n, "input_output segments carry no end-of-sequence token: add your tokenizer's EOS to each completion in the Axolotl config, or export a --style messages dataset")
	}
	if validation {
		n = append(n, "validation lines are probes: the prompt, and the answer as the reply or completion; the loss on them is the provider's, not the recipe's metric")
	} else {
		n = append(n, "eval splits are not exported (--validation names those to write as a validation file): they hold probes (prompt and answer), not training examples; score them with the dataset's own files")
	}
	return n
}

// writer writes file sets: data parts under the size limit, each with its provenance sidecar.
type writer struct {
	out    *Folder
	p      Provider
	limit  int64
	encode func(Content) (any, error)
	style  Style
	config string // the dataset config read
	use    string // training or validation
	schema schemas.Schema
	rec    *Record
	// contentOf picks a row's content columns
	contentOf func(schemas.Row) (Content, error)

	content map[string]int // content column -> index
	prov    []int          // provenance columns' indices
	sidecar schemas.Schema // line, split, then the provenance columns
}

func (w *writer) init() error {
	w.content = map[string]int{}
	w.sidecar = schemas.Schema{Columns: []schemas.Column{{Name: "line", Type: schemas.Int64}, {Name: "split", Type: schemas.String}}}
	for i, c := range w.schema.Columns {
		if contentColumns[c.Name] {
			w.content[c.Name] = i
			continue
		}
		if c.Name == "line" || c.Name == "split" {
			return fmt.Errorf("the training config has a column %q, which the provenance sidecar uses itself", c.Name)
		}
		w.prov = append(w.prov, i)
		w.sidecar.Columns = append(w.sidecar.Columns, c)
	}
	return nil
}

// trainContent picks a training row's content columns.
func (w *writer) trainContent(r schemas.Row) (Content, error) {
	get := func(name string) schemas.Value {
		if i, ok := w.content[name]; ok {
			return r[i]
		}
		return schemas.Value{}
	}
	switch w.style {
	case StyleText:
		return Content{Text: get("text").Str}, nil
	case StylePromptCompletion:
		return Content{Prompt: get("prompt").Str, Completion: get("completion").Str}, nil
	case StyleMessages:
		return Content{Messages: get("messages").Msgs}, nil
	case StyleChatPromptCompletion:
		return Content{Messages: append(append([]schemas.Message{}, get("prompt").Msgs...), get("completion").Msgs...)}, nil
	case StylePreference:
		return Content{ChatPrompt: get("prompt").Msgs, Chosen: get("chosen").Msgs, Rejected: get("rejected").Msgs}, nil
	}
	return Content{}, nil
}

// part is one open data file and its sidecar.
type part struct {
	rec        FileRecord
	data, side io.WriteCloser
	dataW      *bufio.Writer
	sideW      *bufio.Writer
	sum        hash.Hash
	sideJ      *schemas.JSONLWriter
	lines      int64
}

func (w *writer) openPart(name string, index int) (*part, error) {
	base := fmt.Sprintf("%s-%05d", name, index)
	pt := &part{rec: FileRecord{Path: base + ".jsonl", Provenance: base + ".provenance.jsonl", Use: w.use, Config: w.config}, sum: sha256.New()}
	var err error
	if pt.data, err = w.out.Create(pt.rec.Path); err != nil {
		return nil, err
	}
	if pt.side, err = w.out.Create(pt.rec.Provenance); err != nil {
		pt.data.Close()
		return nil, err
	}
	pt.dataW = bufio.NewWriterSize(io.MultiWriter(pt.data, pt.sum), 1<<16)
	pt.sideW = bufio.NewWriterSize(pt.side, 1<<16)
	pt.sideJ = schemas.NewJSONLWriter(pt.sideW, w.sidecar)
	if w.p.BOM {
		pt.dataW.WriteString(BOM)
		pt.rec.Bytes = int64(len(BOM))
	}
	return pt, nil
}

func (pt *part) close() error {
	errs := []error{pt.dataW.Flush(), pt.sideJ.Close(), pt.sideW.Flush(), pt.data.Close(), pt.side.Close()}
	pt.rec.SHA256 = hex.EncodeToString(pt.sum.Sum(nil))
	return errors.Join(errs...)
}

// writeSet writes the rows of splits as the file set name-00000.jsonl, name-00001.jsonl, ...: a new
// part begins when the next line would bring the current one to the limit, so that every file is
// smaller than it; a line is never split.
func (w *writer) writeSet(ctx context.Context, dir, name string, splits []schemas.SplitEntry) error {
	var pt *part
	index := 0
	closePart := func() error {
		if pt == nil {
			return nil
		}
		err := pt.close()
		w.rec.Files = append(w.rec.Files, pt.rec)
		pt = nil
		return err
	}
	defer func() {
		if pt != nil {
			pt.close()
		}
	}()
	bomLen := int64(0)
	if w.p.BOM {
		bomLen = int64(len(BOM))
	}
	for _, split := range splits {
		if len(split.Files) == 0 {
			return fmt.Errorf("%s: split %s/%s lists no data file", dir, w.config, split.Name)
		}
		// Every file of the split, in order: a merged dataset has one per shard.
		path := fmt.Sprintf("%s split %s/%s", dir, w.config, split.Name)
		row := int64(0)
		for r, err := range schemas.SplitRows(dir, split, w.schema) {
			if err != nil {
				return err
			}
			row++
			if row%4096 == 0 && ctx.Err() != nil {
				return context.Cause(ctx)
			}
			c, err := w.contentOf(r)
			if err != nil {
				return schemas.InputErrorf("%s row %d: %v", path, row, err)
			}
			v, err := w.encode(c)
			if err != nil {
				return err
			}
			line, err := json.Marshal(v)
			if err != nil {
				return err
			}
			line = append(line, '\n')
			if check := w.check(); check != nil {
				if probs := check(line); len(probs) > 0 {
					return fmt.Errorf("%s row %d fails the format checks of %s: %s", path, row, w.p.Name, probs[0].Detail)
				}
			}
			if w.limit > 0 && bomLen+int64(len(line)) >= w.limit {
				return schemas.InputErrorf("%s row %d makes a line of %d bytes, which no file under the %d-byte limit of %s can hold", path, row, len(line), w.limit, w.p.Name)
			}
			if pt != nil && w.limit > 0 && pt.rec.Bytes+int64(len(line)) >= w.limit {
				if err := closePart(); err != nil {
					return err
				}
				index++
			}
			if pt == nil {
				if pt, err = w.openPart(name, index); err != nil {
					return err
				}
			}
			pt.dataW.Write(line)
			pt.rec.Bytes += int64(len(line))
			pt.rec.Rows++
			pt.lines++
			if n := len(pt.rec.Splits); n == 0 || pt.rec.Splits[n-1] != split.Name {
				pt.rec.Splits = append(pt.rec.Splits, split.Name)
			}
			side := make(schemas.Row, 0, len(w.sidecar.Columns))
			side = append(side, schemas.Value{Int: pt.lines}, schemas.Value{Str: split.Name})
			for _, i := range w.prov {
				side = append(side, r[i])
			}
			if err := pt.sideJ.Write(side); err != nil {
				return err
			}
		}
	}
	return closePart() // an empty split writes no file; a set of empty splits writes none
}

// check returns the line checks of the lines written, if the form has any.
func (w *writer) check() func([]byte) []Problem {
	switch {
	case w.p.chat[w.style] && w.p.Name == "together":
		return func(line []byte) []Problem { return append(checkChatLine(line), checkTurnOrder(line)...) }
	case w.p.chat[w.style]:
		return checkChatLine
	case w.style == StylePreference:
		return checkPreferenceLine
	}
	return nil
}

// AxolotlName is the datasets: block written beside Axolotl files, to paste into a config.
const AxolotlName = "axolotl-datasets.yaml"

// axolotlDatasets is the datasets: block that loads every data file of an Axolotl export in dir (the
// export's final folder, absolute: Axolotl resolves a relative path against its working directory).
func axolotlDatasets(rec *Record, dir string) string {
	var b strings.Builder
	b.WriteString("# The datasets: (and test_datasets:) blocks of an Axolotl config that trains on this export.\n")
	b.WriteString("# Provenance sidecars (*.provenance.jsonl) are not data.\n")
	sets := map[string]bool{}
	for _, f := range rec.Files {
		if f.Use == "training" {
			sets[strings.Join(f.Splits, ",")] = true
		}
	}
	if len(sets) > 1 {
		b.WriteString("# The training files come from several splits of the dataset: keep the entries of those your\n")
		b.WriteString("# experiment trains together (negation's modes, for one, are separate conditions).\n")
	}
	if rec.Form == "input_output" {
		b.WriteString("# input_output segments are joined as they are, with no end-of-sequence token: add your\n")
		b.WriteString("# tokenizer's EOS to each completion, or export a --style messages dataset (chat_template).\n")
	}
	for _, use := range []string{"training", "validation"} {
		header := "datasets:\n"
		if use == "validation" {
			header = "test_datasets:\n"
		}
		for _, f := range rec.Files {
			if f.Use != use {
				continue
			}
			b.WriteString(header)
			header = ""
			fmt.Fprintf(&b, "  - path: %s\n    ds_type: json\n    split: train\n    type: %s\n", filepath.Join(dir, f.Path), rec.Form)
			if rec.Form == "chat_template" {
				b.WriteString("    field_messages: messages\n    roles_to_train: [\"assistant\"]\n")
			}
		}
	}
	return b.String()
}
