package generators

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Version is factforge's version, written into manifests and Parquet footers.
var Version = "0.1.0-dev"

// ChunkRows is the most rows a worker makes at once, and chunkBytes bounds the bytes of those rows
// when they are long. Both are fixed, not derived from the worker count, which is part of what makes
// output independent of --workers.
const (
	ChunkRows  = 4096
	chunkBytes = 2 << 20
)

// chunkRows is how many rows like sample a worker makes at once: ChunkRows, or fewer when their bytes
// would pass chunkBytes. It is a multiple of 64, the rows the Parquet writer hands on at once, so the
// row groups it ends by size end at the same rows whatever the chunks.
func chunkRows(sample []Row) int64 {
	var bytes int64
	for _, r := range sample {
		bytes += schemas.RowBytes(r)
	}
	if bytes == 0 {
		return ChunkRows
	}
	n := chunkBytes * int64(len(sample)) / bytes / 64 * 64
	return min(max(n, 64), ChunkRows)
}

// RunOptions are the settings of a run that do not change the dataset's bytes.
type RunOptions struct {
	Out     string // the folder datasets are written under
	Force   bool   // replace an existing dataset
	Workers int    // generating goroutines; 0 means GOMAXPROCS
	// Shard and Shards select rows [Shard*rows/Shards, (Shard+1)*rows/Shards) of every split, written
	// as <split>-0000Shard-of-0000Shards files to the folder <name>.shard-Shard-of-Shards; 0 and 0 (or
	// 1) write the whole dataset.
	Shard, Shards int
	// Progress, when set, is called from the writing goroutine after each chunk with the rows written
	// so far and the rows in all.
	Progress func(done, total int64)
}

// Result summarises a finished run.
type Result struct {
	Dir      string
	Manifest *schemas.Manifest
	Rows     int64
	Files    int
	Bytes    int64
	Elapsed  time.Duration
}

// ConfigError is a problem with what was asked for, found before anything is written.
type ConfigError struct{ Err error }

func (e ConfigError) Error() string { return e.Err.Error() }
func (e ConfigError) Unwrap() error { return e.Err }

// Prepare checks cfg, resolves its recipe options (set, with defaults for the rest) and plans its
// dataset without writing anything. Its errors are ConfigErrors.
func Prepare(cfg *Config, set Options) (Recipe, *Plan, error) {
	r, plan, err := prepare(cfg, set)
	if err != nil {
		return nil, nil, ConfigError{err}
	}
	return r, plan, nil
}

func prepare(cfg *Config, set Options) (Recipe, *Plan, error) {
	r, err := Lookup(cfg.Recipe)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Templates != "" {
		if cfg.lib, err = templates.NewLibrary(cfg.Templates); err != nil {
			return nil, nil, err
		}
		digest, err := cfg.lib.Digest()
		if err != nil {
			return nil, nil, fmt.Errorf("--templates: %w", err)
		}
		if cfg.TemplatesSHA256 != "" && cfg.TemplatesSHA256 != digest {
			return nil, nil, fmt.Errorf("--templates %s: its files changed since the dataset was made (sha256 %s, now %s)", cfg.Templates, cfg.TemplatesSHA256, digest)
		}
		cfg.TemplatesSHA256 = digest
	}
	if cfg.Style == "" {
		cfg.Style = StyleText
		if d, ok := r.(interface{ DefaultStyle() string }); ok {
			cfg.Style = d.DefaultStyle()
		}
	}
	if err := cfg.Check(); err != nil {
		return nil, nil, err
	}
	if cfg.Options, err = ResolveOptions(r.Options(), set); err != nil {
		return nil, nil, err
	}
	plan, err := r.Plan(cfg)
	if err != nil {
		return nil, nil, err
	}
	for _, pc := range plan.Configs {
		for i := range pc.Splits {
			ps := &pc.Splits[i]
			if ps.Docs != nil {
				if ps.Rows, ps.Row, err = docRows(cfg, pc.Name, ps.Name, pc.Layout, ps.Docs); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	return r, plan, nil
}

// Generate writes the dataset of cfg, with recipe options set (unset ones take their defaults), under
// opts.Out. On any error, or when ctx is cancelled, nothing is left at the dataset's path.
func Generate(ctx context.Context, cfg *Config, set Options, opts RunOptions) (*Result, error) {
	start := time.Now()
	shards := max(opts.Shards, 1)
	if opts.Shard < 0 || opts.Shard >= shards {
		return nil, ConfigError{fmt.Errorf("shard %d of %d does not exist (shards count from 0)", opts.Shard, shards)}
	}
	folder := cfg.Name
	if shards > 1 {
		folder = ShardFolder(cfg.Name, opts.Shard, shards)
	}
	if err := schemas.CheckTarget(opts.Out, folder, opts.Force); err != nil {
		return nil, ConfigError{err}
	}
	recipe, plan, err := Prepare(cfg, set)
	if err != nil {
		return nil, err
	}
	ds, err := schemas.CreateDataset(opts.Out, folder, opts.Force)
	if err != nil {
		return nil, err
	}
	defer ds.Abort()

	resolved, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	m := &schemas.Manifest{Version: Version, Recipe: cfg.Recipe, Seed: cfg.Seed, Config: resolved, Rules: plan.Rules, Stats: plan.Stats}
	if shards > 1 {
		m.Shard = &schemas.ShardEntry{Index: opts.Shard, Count: shards}
	}
	res := &Result{Dir: ds.Dir, Manifest: m}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var total, done int64
	for _, pc := range plan.Configs {
		for _, ps := range pc.Splits {
			lo, hi := shardRange(ps.Rows, opts.Shard, shards)
			total += hi - lo
		}
	}
	progress := func(rows int64) {
		done += rows
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	// Ids derive from the whole resolved config, so datasets made with different settings share none;
	// but not from the name, which says where a dataset goes, not what it holds.
	unnamed := *cfg
	unnamed.Name = ""
	idConfig, err := json.Marshal(unnamed)
	if err != nil {
		return nil, err
	}
	run := &splitWriter{ctx: ctx, ds: ds, cfg: cfg, idSeed: rng.Key(cfg.Seed, string(idConfig)), workers: workers,
		shard: opts.Shard, shards: shards, progress: progress, free: make(chan *chunk, 3*workers)}
	for _, pc := range plan.Configs {
		entry := schemas.ConfigEntry{Name: pc.Name, Columns: pc.Layout.Schema.Columns}
		for _, ps := range pc.Splits {
			lo, hi := shardRange(ps.Rows, opts.Shard, shards)
			files, err := run.writeSplit(pc, ps, lo, hi)
			if err != nil {
				return nil, fmt.Errorf("writing %s/%s: %w", pc.Name, ps.Name, err)
			}
			entry.Splits = append(entry.Splits, schemas.SplitEntry{Name: ps.Name, Rows: hi - lo, Files: files})
			res.Rows += hi - lo
			for _, f := range files {
				res.Files++
				res.Bytes += f.Bytes
			}
		}
		m.Configs = append(m.Configs, entry)
	}
	card, err := schemas.Card(m, schemas.CardInfo{
		Title: cfg.Name, Summary: recipe.Summary(), Paper: recipe.Paper(), Command: CommandLine(cfg, recipe.Options()), Notes: plan.Notes,
	})
	if err != nil {
		return nil, err
	}
	if err := ds.WriteFile("README.md", card); err != nil {
		return nil, err
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ds.Commit(append(manifest, '\n')); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// rowWriter is what a split's rows are written to, one per format.
type rowWriter interface {
	Write(schemas.Row) error
	Close() error
}

// SplitFile is the path of a split's file in the Hugging Face layout.
func SplitFile(format, config, split string, shard, shards int) string {
	dir, ext := "data", "parquet"
	if format == FormatJSONL {
		dir, ext = "jsonl", "jsonl"
	}
	return fmt.Sprintf("%s/%s/%s-%05d-of-%05d.%s", dir, config, split, shard, shards, ext)
}

// shardRange is the rows [lo, hi) of a split of n rows that shard i of count writes.
func shardRange(n int64, i, count int) (lo, hi int64) {
	return n * int64(i) / int64(count), n * int64(i+1) / int64(count)
}

// ShardFolder is the folder one shard of a dataset is written to.
func ShardFolder(name string, i, n int) string {
	return fmt.Sprintf("%s.shard-%05d-of-%05d", name, i, n)
}

// splitWriter writes the splits of one run.
type splitWriter struct {
	ctx           context.Context
	ds            *schemas.Dataset
	cfg           *Config
	idSeed        uint64
	workers       int
	shard, shards int
	progress      func(rows int64)
	// free holds written chunks for later ones to reuse, across splits: generation then allocates no
	// fresh cells, row slices, string blocks or encoding buffers (nor the collector chases them).
	free chan *chunk
}

// writeSplit writes rows [lo, hi) of a split in every format of the run. Workers make the rows in
// blocks and encode them as well, JSON Lines into bytes and Parquet into whole row groups, so the
// writing goroutine only appends finished blocks to the files, in order. A split with rows read from a
// stream (External) must take them in order, so there the writing goroutine gets every row instead.
func (sw *splitWriter) writeSplit(pc PlanConfig, ps PlanSplit, lo, hi int64) ([]schemas.FileEntry, error) {
	ds, cfg, shard, shards := sw.ds, sw.cfg, sw.shard, sw.shards
	streamed := ps.External != nil
	var files []*schemas.DataFile
	var writers []rowWriter
	var jsonl *schemas.JSONLWriter
	var parquet *schemas.ParquetWriter
	for _, format := range cfg.Formats {
		df, err := ds.Create(SplitFile(format, pc.Name, ps.Name, shard, shards))
		if err != nil {
			return nil, err
		}
		files = append(files, df)
		if format == FormatParquet {
			parquet = schemas.NewParquetWriter(df, pc.Layout.Schema, "factforge", Version)
			writers = append(writers, parquet)
		} else {
			jsonl = schemas.NewJSONLWriter(df, pc.Layout.Schema)
			writers = append(writers, jsonl)
		}
	}
	idKey := rng.Key(sw.idSeed, "id/"+pc.Name+"/"+ps.Name)
	// Rows are numbered across the whole split, so every shard makes them as a single run would.
	gen := func(w *Worker, i int64, row Row) {
		pc.Layout.SetID(w, row, idKey, lo+i)
		if !streamed || !ps.External(lo+i) {
			ps.Row(w, lo+i, row)
		}
	}
	// Chunks, and blocks of rows, are sized from the split's first rows, so every shard and worker
	// count agrees.
	sample := sampleRows(pc, ps, idKey)
	batch := chunkRows(sample)
	work := blockWork{rows: hi - lo, blockRows: batch, batchRows: batch, cols: len(pc.Layout.Schema.Columns), gen: gen}
	if jsonl != nil && !streamed {
		work.encode = func(dst []byte, rows []Row) []byte {
			for _, r := range rows {
				dst = jsonl.AppendRow(dst, r)
			}
			return dst
		}
	}
	var groups chan *schemas.ParquetRowGroup // row groups not being filled, made here, where they are committed
	if parquet != nil && !streamed {
		work.blockRows = int64(schemas.RowGroupRows(sample)) // blocks are row groups
		groups = make(chan *schemas.ParquetRowGroup, sw.window())
		for range sw.window() {
			groups <- parquet.NewRowGroup()
		}
		work.groups = groups
	}
	err := sw.generateBlocks(work, func(first int64, b *chunk) error {
		if streamed {
			for k, r := range b.rows {
				if i := lo + first + int64(k); ps.External(i) {
					if err := ps.Next(i, r); err != nil {
						return err
					}
				}
				for _, w := range writers {
					if err := w.Write(r); err != nil {
						return err
					}
				}
			}
			// The chunk's memory is reused after this: the Parquet writer lets go of its rows.
			if parquet != nil {
				if err := parquet.Flush(); err != nil {
					return err
				}
			}
		} else {
			if jsonl != nil {
				if err := jsonl.WriteEncoded(b.encoded); err != nil {
					return err
				}
			}
			if b.group != nil {
				err := parquet.Commit(b.group)
				groups <- b.group
				b.group = nil
				if err != nil {
					return err
				}
			}
		}
		sw.progress(b.n)
		return nil
	})
	var entries []schemas.FileEntry
	for i, df := range files {
		if cerr := writers[i].Close(); err == nil {
			err = cerr
		}
		size, sum, cerr := df.Close()
		if err == nil {
			err = cerr
		}
		entries = append(entries, schemas.FileEntry{Path: df.Path, Format: cfg.Formats[i], Rows: hi - lo, Bytes: size, SHA256: sum})
	}
	return entries, err
}

// newCellsMu serialises newCells, whose pause of the collector is process-wide.
var newCellsMu sync.Mutex

// newCells returns n empty cells whose memory has been written once already. Had the collector read
// the fresh memory first (scanning the new array), the kernel would have mapped its shared zero page
// there, and the first write to each page would then cost a copy-on-write fault with a TLB shootdown
// across CPUs: measured on a 2-core VM, 64 MiB took 0.48 s that way and 0.06 s this way. So the array
// is made and cleared with the collector paused (which also waits for a cycle in progress to end).
func newCells(n int) []schemas.Value {
	newCellsMu.Lock()
	defer newCellsMu.Unlock()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	cells := make([]schemas.Value, n)
	clear(cells)
	return cells[:0]
}

// sampleRows makes the first rows of a split that are not read from a stream, from which its chunks
// and row groups are sized.
func sampleRows(pc PlanConfig, ps PlanSplit, idKey uint64) []Row {
	w := NewWorker()
	var rows []Row
	for i := int64(0); i < ps.Rows && len(rows) < 64; i++ {
		if ps.External != nil && ps.External(i) {
			continue
		}
		row := make(Row, len(pc.Layout.Schema.Columns))
		pc.Layout.SetID(w, row, idKey, i)
		ps.Row(w, i, row)
		rows = append(rows, row)
	}
	return rows
}

// blockWork is the work of one split: rows [0, rows) made by gen, in blocks of blockRows rows, which
// a worker makes batchRows (at most ChunkRows) at a time.
type blockWork struct {
	rows, blockRows int64
	batchRows       int64
	cols            int
	gen             RowFunc
	encode          func(dst []byte, rows []Row) []byte // when set, each block's rows are encoded by its worker
	groups          chan *schemas.ParquetRowGroup       // when set, each block's rows are also written into a group from here
}

// chunk is the memory one block is made in, and what the writing goroutine gets of it: the rows
// (of a block of one batch; of its last batch otherwise), their encoding, and the
// row group they were written into.
type chunk struct {
	n       int64 // rows in the block
	rows    []Row
	cells   []schemas.Value // backing the rows
	strings *arena          // backing the strings the rows' generation kept
	encoded []byte
	group   *schemas.ParquetRowGroup
	err     error
}

// window is how many blocks may be in memory at once: made, being made or waiting to be written. One
// more than the workers keeps them busy while the writer writes; more only adds memory to touch
// (measured: 2 or 4 per worker were slower).
func (sw *splitWriter) window() int { return sw.workers + 1 }

// generateBlocks makes the blocks of work on the run's workers, in any order, and hands them to emit
// strictly in order. A worker makes a block batchRows rows at a time in its chunk, encoding each batch
// and writing it into the block's row group as it goes. A chunk's memory, the strings its rows hold
// included, is reused once emit returns: emit must not keep any of it.
func (sw *splitWriter) generateBlocks(work blockWork, emit func(first int64, b *chunk) error) error {
	n, cols := work.rows, work.cols
	blocks := int((n + work.blockRows - 1) / work.blockRows)
	if blocks == 0 {
		return nil
	}
	free := sw.free
	ctx, cancel := context.WithCancel(sw.ctx)
	defer cancel()
	results := make([]chan *chunk, blocks)
	for c := range results {
		results[c] = make(chan *chunk, 1)
	}
	todo := make(chan int)
	credits := make(chan struct{}, sw.window())
	go func() {
		defer close(todo)
		for c := 0; c < blocks; c++ {
			select {
			case credits <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case todo <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range sw.workers {
		go func() {
			w := NewWorker()
			for c := range todo {
				lo := int64(c) * work.blockRows
				hi := min(lo+work.blockRows, n)
				var ch *chunk
				select {
				case ch = <-free:
				default:
					ch = &chunk{strings: &arena{}}
				}
				if cap(ch.rows) < int(work.batchRows) {
					ch.rows = make([]Row, work.batchRows)
				}
				if cap(ch.cells) < int(work.batchRows)*cols {
					ch.cells = newCells(int(work.batchRows) * cols)
				}
				ch.n, ch.encoded, ch.err = hi-lo, ch.encoded[:0], nil
				if work.groups != nil {
					select {
					case ch.group = <-work.groups:
					case <-ctx.Done():
						return
					}
				}
				for first := lo; first < hi && ch.err == nil; first += work.batchRows {
					ch.rows = ch.rows[:min(work.batchRows, hi-first)]
					ch.cells = ch.cells[:len(ch.rows)*cols]
					w.useArena(ch.strings)
					for i := range ch.rows {
						row := ch.cells[i*cols : (i+1)*cols : (i+1)*cols]
						clear(row) // here rather than all at once: the row is then in cache for gen
						work.gen(w, first+int64(i), row)
						ch.rows[i] = row
					}
					if work.encode != nil {
						ch.encoded = work.encode(ch.encoded, ch.rows)
					}
					if ch.group != nil {
						ch.err = ch.group.WriteRows(ch.rows)
					}
				}
				results[c] <- ch
			}
		}()
	}
	for c := 0; c < blocks; c++ {
		select {
		case ch := <-results[c]:
			err := ch.err
			if err == nil {
				err = emit(int64(c)*work.blockRows, ch)
			}
			if err != nil {
				return err
			}
			select {
			case free <- ch:
			default:
			}
			<-credits
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// CommandLine renders the generate command that reproduces cfg, whose options are resolved.
func CommandLine(cfg *Config, decl []Option) string {
	format := "both"
	if len(cfg.Formats) == 1 {
		format = cfg.Formats[0]
	}
	parts := []string{"factforge generate", cfg.Recipe, "--name", shellQuote(cfg.Name), "--seed", fmt.Sprint(cfg.Seed), "--style", cfg.Style, "--format", format}
	if cfg.Templates != "" {
		parts = append(parts, "--templates", shellQuote(cfg.Templates))
	}
	if a := cfg.Augment; a != nil {
		parts = append(parts, "--augment", strings.Join(a.Kinds, ","))
		if a.Only {
			parts = append(parts, "--augment-only")
		}
		parts = append(parts, "--augment-share", fmt.Sprint(a.Share), "--segment-max", fmt.Sprint(a.SegmentMax),
			"--segment-sep", shellQuote(a.SegmentSep), "--semantic-mix", a.MixString())
	}
	for _, o := range decl {
		parts = append(parts, "--"+o.Name, shellQuote(fmt.Sprint(cfg.Options[o.Name])))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.,:/+=@", c)) {
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
