// Package run writes a recipe's plan as a dataset: it resolves the config, derives training rows from
// documents (shuffled, augmented, laid out in the style), cuts every split into blocks that a pool of
// workers makes and encodes in any order, writes them in order through the sinks of package schemas,
// and finishes with the card and the manifest. It also previews a plan's rows and merges the shards
// of a run. It knows no recipe: callers hand it one.
package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/schemas/audit"
)

// Settings are the settings of a run that do not change the dataset's bytes.
type Settings struct {
	Out     string // the folder datasets are written under
	Force   bool   // replace an existing dataset
	Workers int    // generating goroutines; 0 means GOMAXPROCS
	// Shard and Shards select rows [Shard*rows/Shards, (Shard+1)*rows/Shards) of every split, written
	// as <split>-0000Shard-of-0000Shards files to the folder <name>.shard-Shard-of-Shards; 0 and 0 (or
	// 1) write the whole dataset.
	Shard, Shards int
	// Progress, when set, is called after each block of rows is written, with the rows written so far
	// and the rows in all; calls come from the splits' writers one at a time.
	Progress func(done, total int64)
	// Audit measures the dataset with factforge audit before it is committed, and writes the report
	// into it as audit.json (listed and hashed in the manifest, its headline on the card).
	Audit bool
}

// Result summarises a finished run.
type Result struct {
	Dir      string
	Manifest *schemas.Manifest
	Rows     int64
	Files    int
	Bytes    int64
	Elapsed  time.Duration
	Audit    *audit.Report // with Settings.Audit
}

// ConfigError is a problem with what was asked for, found before anything is written.
type ConfigError struct{ Err error }

// MaxWorkers bounds the goroutines of a run: each worker holds a chunk of rows in memory.
const MaxWorkers = 256

func (e ConfigError) Error() string { return e.Err.Error() }
func (e ConfigError) Unwrap() error { return e.Err }

// Prepare resolves cfg for recipe r (the options set, with defaults for the rest) and plans its
// dataset without writing anything. Its errors are ConfigErrors, except that of ctx ending (an
// interrupt is not bad input). Call Release on the plan when done with it.
func Prepare(ctx context.Context, r generators.Recipe, cfg *generators.Config, set generators.Options) (*generators.Plan, error) {
	plan, err := prepare(ctx, r, cfg, set)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, err
		}
		return nil, ConfigError{err}
	}
	return plan, nil
}

// Release lets every split of plan release what its rows hold (such as an open corpus), whether its
// rows were all written, some, or none.
func Release(plan *generators.Plan) {
	for _, pc := range plan.Configs {
		for _, ps := range pc.Splits {
			if ps.Done != nil {
				ps.Done()
			}
		}
	}
}

func prepare(ctx context.Context, r generators.Recipe, cfg *generators.Config, set generators.Options) (*generators.Plan, error) {
	if cfg.Recipe != r.Name() {
		return nil, fmt.Errorf("config is for recipe %q, not %q", cfg.Recipe, r.Name())
	}
	if err := cfg.Resolve(r, set); err != nil {
		return nil, err
	}
	plan, err := r.Plan(ctx, cfg)
	if err != nil {
		return nil, err
	}
	for _, pc := range plan.Configs {
		for i := range pc.Splits {
			ps := &pc.Splits[i]
			if ps.Docs != nil {
				if ps.Rows, ps.Row, err = docRows(cfg, pc.Name, ps.Name, pc.Layout, ps.Docs); err != nil {
					return nil, err
				}
			}
		}
	}
	return plan, nil
}

// Generate writes the dataset of cfg, made by recipe r with its options set (unset ones take their
// defaults), under opts.Out. On any error, or when ctx is cancelled, nothing is left at the dataset's
// path.
func Generate(ctx context.Context, recipe generators.Recipe, cfg *generators.Config, set generators.Options, opts Settings) (*Result, error) {
	start := time.Now()
	shards := max(opts.Shards, 1)
	if opts.Shard < 0 || opts.Shard >= shards {
		return nil, ConfigError{fmt.Errorf("shard %d of %d does not exist (shards count from 0)", opts.Shard, shards)}
	}
	if shards > schemas.MaxShards {
		return nil, ConfigError{fmt.Errorf("%d shards: at most %d", shards, schemas.MaxShards)}
	}
	if opts.Workers < 0 || opts.Workers > MaxWorkers {
		return nil, ConfigError{fmt.Errorf("--workers must be from 0 (one per core) to %d, got %d", MaxWorkers, opts.Workers)}
	}
	if opts.Out == "" {
		return nil, ConfigError{fmt.Errorf("--out is empty: name the folder datasets are written under")}
	}
	if err := schemas.CheckName(cfg.Name); err != nil {
		return nil, ConfigError{err}
	}
	folder := cfg.Name
	if shards > 1 {
		folder = ShardFolder(cfg.Name, opts.Shard, shards)
	}
	if err := schemas.CheckTarget(opts.Out, folder, opts.Force); err != nil {
		return nil, ConfigError{err}
	}
	plan, err := Prepare(ctx, recipe, cfg, set)
	if err != nil {
		return nil, err
	}
	defer Release(plan) // after every goroutine that reads the splits has stopped: writeSplits waits for them
	ds, err := schemas.CreateDataset(opts.Out, folder, opts.Force)
	if err != nil {
		return nil, err
	}
	defer ds.Abort()

	resolved, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	m := &schemas.Manifest{Version: generators.Version, Recipe: cfg.Recipe, Paper: recipe.Paper(), Seed: cfg.Seed, Config: resolved, Rules: plan.Rules, Stats: plan.Stats}
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
	var progressMu sync.Mutex // splits are written side by side
	progress := func(rows int64) {
		progressMu.Lock()
		defer progressMu.Unlock()
		done += rows
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	// Ids derive from the whole resolved config, so datasets made with different settings share none;
	// but not from the name, the formats or the license, which say where and how a dataset is written
	// and shared, not what its rows hold: predictions keyed by id match it in every format.
	unnamed := *cfg
	unnamed.Name, unnamed.Formats, unnamed.License = "", nil, ""
	idConfig, err := json.Marshal(unnamed)
	if err != nil {
		return nil, err
	}
	sw := &splitWriter{ds: ds, cfg: cfg, idSeed: rng.Key(cfg.Seed, string(idConfig)), workers: workers,
		shard: opts.Shard, shards: shards, progress: progress, free: make(chan *chunk, 2*workers+1)}
	var jobs []*splitJob
	for _, pc := range plan.Configs {
		for _, ps := range pc.Splits {
			lo, hi := shardRange(ps.Rows, opts.Shard, shards)
			jobs = append(jobs, &splitJob{pc: pc, ps: ps, lo: lo, hi: hi})
		}
	}
	if err := sw.writeSplits(ctx, jobs); err != nil {
		return nil, err
	}
	for _, pc := range plan.Configs {
		entry := schemas.ConfigEntry{Name: pc.Name, Columns: pc.Layout.Schema.Columns}
		for _, j := range jobs {
			if j.pc.Name != pc.Name {
				continue
			}
			entry.Splits = append(entry.Splits, schemas.SplitEntry{Name: j.ps.Name, Rows: j.hi - j.lo, Files: j.entries})
			res.Rows += j.hi - j.lo
			for _, f := range j.entries {
				res.Files++
				res.Bytes += f.Bytes
			}
		}
		m.Configs = append(m.Configs, entry)
	}
	command := CommandLine(cfg, recipe.Options())
	if shards > 1 {
		command += fmt.Sprintf(" --shard %d/%d", opts.Shard, shards)
	}
	info := schemas.CardInfo{Title: cfg.Name, Summary: recipe.Summary(), Paper: recipe.Paper(), Command: command, Notes: plan.Notes}
	if opts.Audit {
		if res.Audit, m.Audit, err = auditInto(ctx, ds, cfg.Name, m); err != nil {
			return nil, err
		}
		info.Audit = res.Audit.Headline(5)
	}
	card, err := schemas.Card(m, info)
	if err != nil {
		return nil, err
	}
	if err := ds.WriteFile(schemas.CardName, card); err != nil {
		return nil, err
	}
	m.Card = schemas.NewCardEntry(card)
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

// SplitFile is the path of a split's file in the Hugging Face layout.
func SplitFile(format, config, split string, shard, shards int) string {
	dir, ext := "data", "parquet"
	if format == generators.FormatJSONL {
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

// CommandLine renders the generate command that reproduces cfg, whose options are resolved.
func CommandLine(cfg *generators.Config, decl []generators.Option) string {
	format := "both"
	if len(cfg.Formats) == 1 {
		format = cfg.Formats[0]
	}
	parts := []string{"factforge generate", cfg.Recipe, "--name", shellQuote(cfg.Name), "--seed", fmt.Sprint(cfg.Seed), "--style", cfg.Style, "--format", format}
	if cfg.Templates != "" {
		parts = append(parts, "--templates", shellQuote(cfg.Templates))
	}
	for _, a := range cfg.AvoidEntities {
		parts = append(parts, "--avoid-entities", shellQuote(a.Path))
	}
	if cfg.License != "" {
		parts = append(parts, "--license", shellQuote(cfg.License))
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
		parts = append(parts, "--"+o.Name(), shellQuote(fmt.Sprint(cfg.Options[o.Name()])))
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

// auditInto audits the dataset being written, whose manifest is m so far, and writes the report into
// it as audit.json.
func auditInto(ctx context.Context, ds *schemas.Dataset, name string, m *schemas.Manifest) (*audit.Report, *schemas.FileEntry, error) {
	report, err := audit.AuditManifest(ctx, ds.Staging(), name, m, audit.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("audit: %w", err)
	}
	df, err := ds.Create("audit.json")
	if err != nil {
		return nil, nil, err
	}
	err = report.WriteJSON(df)
	size, sum, cerr := df.Close()
	if err == nil {
		err = cerr
	}
	return report, &schemas.FileEntry{Path: df.Path, Format: "json", Bytes: size, SHA256: sum}, err
}
