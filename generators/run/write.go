package run

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
)

// Writing a run's splits: every split is cut into blocks of rows, and one pool of workers makes the
// blocks of all splits in turn, so no worker waits for a split's last block to be written before
// starting on the next split. Workers encode what they make as well, JSON Lines into bytes and Parquet
// into whole row groups; each split's writer only appends its finished blocks to its files, in order.
// Different splits write different files, so their writers run side by side.

// ChunkRows is the most rows a worker makes at once, and chunkBytes bounds the bytes of those rows
// when they are long. Both are fixed, not derived from the worker count, which is part of what makes
// output independent of --workers.
const (
	ChunkRows  = 4096
	chunkBytes = 2 << 20
)

// rowWriter is what a split's rows are written to, one per format.
type rowWriter interface {
	Write(schemas.Row) error
	Close() error
}

// splitWriter writes the splits of one run.
type splitWriter struct {
	ds            *schemas.Dataset
	cfg           *generators.Config
	idSeed        uint64
	workers       int
	shard, shards int
	progress      func(rows int64) // safe to call from several goroutines
	// free holds written chunks for later ones to reuse, across splits: generation then allocates no
	// fresh cells, row slices, string blocks or encoding buffers (nor the collector chases them).
	free chan *chunk
}

// splitJob is one split of a run: rows [lo, hi) of ps, its files, and what its blocks become.
type splitJob struct {
	pc       generators.PlanConfig
	ps       generators.PlanSplit
	lo, hi   int64
	streamed bool // some rows are read from a stream, in order: the writer gets every row
	files    []*schemas.DataFile
	writers  []rowWriter
	jsonl    *schemas.JSONLWriter
	parquet  *schemas.ParquetWriter
	work     blockWork
	results  []chan *chunk // by block
	entries  []schemas.FileEntry
}

// blockWork is the work of one split: rows [0, rows) made by gen, in blocks of blockRows rows, which
// a worker makes batchRows (at most ChunkRows) at a time.
type blockWork struct {
	rows, blockRows int64
	batchRows       int64
	cols            int
	gen             generators.RowFunc
	encode          func(dst []byte, rows []records.Row) []byte // when set, each block's rows are encoded by its worker
	groups          chan *schemas.ParquetRowGroup               // when set, each block's rows are also written into a group from here
}

func (w *blockWork) blocks() int { return int((w.rows + w.blockRows - 1) / w.blockRows) }

// chunk is the memory one block is made in, and what the split's writer gets of it: the rows (of a
// block of one batch; of its last batch otherwise), their encoding, and the row group they were
// written into.
type chunk struct {
	n       int64 // rows in the block
	rows    []records.Row
	cells   []schemas.Value // backing the rows
	strings *records.Arena  // backing the strings the rows' generation kept
	encoded []byte
	group   *schemas.ParquetRowGroup
	err     error
}

// window is how many blocks may be in memory at once: made, being made or waiting to be written. One
// more than the workers keeps them busy while the writers write; more only adds memory to touch
// (measured: 2 or 4 per worker were slower).
func (sw *splitWriter) window() int { return sw.workers + 1 }

// writeSplits writes the jobs' splits. On error the jobs' files are closed, incomplete.
func (sw *splitWriter) writeSplits(ctx context.Context, jobs []*splitJob) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type task struct {
		job   *splitJob
		block int
	}
	todo := make(chan task)
	credits := make(chan struct{}, sw.window())
	var writers sync.WaitGroup
	scheduled := make(chan struct{})
	go func() { // hands out the blocks of every split in turn, opening each split's files first
		defer close(scheduled)
		defer close(todo)
		for _, j := range jobs {
			if err := sw.open(j); err != nil {
				j.close(sw.cfg.Formats)
				cancel(j.wrap(err))
				return
			}
			writers.Go(func() {
				if err := sw.write(ctx, j, credits); err != nil {
					cancel(j.wrap(err))
				}
			})
			for b := range j.work.blocks() {
				select {
				case credits <- struct{}{}:
				case <-ctx.Done():
					return
				}
				select {
				case todo <- task{j, b}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	for range sw.workers {
		go func() {
			w := records.NewWorker()
			for t := range todo {
				ch, ok := sw.makeBlock(ctx, w, &t.job.work, t.block)
				if !ok {
					return
				}
				t.job.results[t.block] <- ch
			}
		}()
	}
	<-scheduled // every split's writer has started
	writers.Wait()
	return context.Cause(ctx)
}

// open creates a job's files and writers and sizes its blocks.
func (sw *splitWriter) open(j *splitJob) error {
	for _, format := range sw.cfg.Formats {
		df, err := sw.ds.Create(SplitFile(format, j.pc.Name, j.ps.Name, sw.shard, sw.shards))
		if err != nil {
			return err
		}
		j.files = append(j.files, df)
		if format == generators.FormatParquet {
			j.parquet = schemas.NewParquetWriter(df, j.pc.Layout.Schema, "factforge", generators.Version)
			j.writers = append(j.writers, j.parquet)
		} else {
			j.jsonl = schemas.NewJSONLWriter(df, j.pc.Layout.Schema)
			j.writers = append(j.writers, j.jsonl)
		}
	}
	pc, ps, lo := j.pc, j.ps, j.lo
	j.streamed = ps.External != nil
	idKey := rng.Key(sw.idSeed, "id/"+pc.Name+"/"+ps.Name)
	// Rows are numbered across the whole split, so every shard makes them as a single run would.
	gen := func(w *records.Worker, i int64, row records.Row) {
		pc.Layout.Clear(row) // here rather than all at once: the row is then in cache for the recipe
		pc.Layout.SetID(w, row, idKey, lo+i)
		if !j.streamed || !ps.External(lo+i) {
			ps.Row(w, lo+i, row)
		}
	}
	// Chunks, and blocks of rows, are sized from the split's first rows, so every shard and worker
	// count agrees.
	sample := sampleRows(pc, ps, idKey)
	batch := chunkRows(sample)
	j.work = blockWork{rows: j.hi - j.lo, blockRows: batch, batchRows: batch, cols: len(pc.Layout.Schema.Columns), gen: gen}
	if j.jsonl != nil && !j.streamed {
		j.work.encode = func(dst []byte, rows []records.Row) []byte {
			for _, r := range rows {
				dst = j.jsonl.AppendRow(dst, r)
			}
			return dst
		}
	}
	if j.parquet != nil && !j.streamed {
		j.work.blockRows = int64(schemas.RowGroupRows(sample)) // blocks are row groups
		// Row groups not being filled; there are as many as blocks can be in flight.
		j.work.groups = make(chan *schemas.ParquetRowGroup, sw.window())
		for range sw.window() {
			j.work.groups <- j.parquet.NewRowGroup()
		}
	}
	j.results = make([]chan *chunk, j.work.blocks())
	for b := range j.results {
		j.results[b] = make(chan *chunk, 1)
	}
	return nil
}

// makeBlock makes block b of work in a chunk, batchRows rows at a time, encoding each batch and writing
// it into the block's row group as it goes. It reports false when ctx ends first.
func (sw *splitWriter) makeBlock(ctx context.Context, w *records.Worker, work *blockWork, b int) (*chunk, bool) {
	lo := int64(b) * work.blockRows
	hi := min(lo+work.blockRows, work.rows)
	cols := work.cols
	var ch *chunk
	select {
	case ch = <-sw.free:
	default:
		ch = &chunk{strings: &records.Arena{}}
	}
	if cap(ch.rows) < int(work.batchRows) {
		ch.rows = make([]records.Row, work.batchRows)
	}
	if cap(ch.cells) < int(work.batchRows)*cols {
		ch.cells = make([]schemas.Value, 0, int(work.batchRows)*cols)
	}
	ch.n, ch.encoded, ch.err = hi-lo, ch.encoded[:0], nil
	if work.groups != nil {
		select {
		case ch.group = <-work.groups:
		case <-ctx.Done():
			return nil, false
		}
	}
	for first := lo; first < hi && ch.err == nil; first += work.batchRows {
		ch.rows = ch.rows[:min(work.batchRows, hi-first)]
		ch.cells = ch.cells[:len(ch.rows)*cols]
		w.UseArena(ch.strings)
		for i := range ch.rows {
			row := ch.cells[i*cols : (i+1)*cols : (i+1)*cols]
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
	return ch, true
}

// write appends a job's blocks to its files as they come, strictly in order, then closes the files.
// A chunk's memory, the strings its rows hold included, is reused once written: nothing here keeps any
// of it.
func (sw *splitWriter) write(ctx context.Context, j *splitJob, credits chan struct{}) (err error) {
	defer func() {
		if cerr := j.close(sw.cfg.Formats); err == nil {
			err = cerr
		}
	}()
	for b := range j.results {
		var ch *chunk
		select {
		case ch = <-j.results[b]:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if ch.err != nil {
			return ch.err
		}
		if err := j.writeBlock(int64(b)*j.work.blockRows, ch); err != nil {
			return err
		}
		rows := ch.n // read before the chunk is handed back: a worker may refill it at once
		if poisonRecycled {
			ch.strings.Poison()
			poisoned.Add(1)
		}
		select {
		case sw.free <- ch:
		default:
		}
		<-credits
		sw.progress(rows)
	}
	return nil
}

// writeBlock writes one finished block, whose first row is row first of the job.
func (j *splitJob) writeBlock(first int64, ch *chunk) error {
	if j.streamed {
		for k, r := range ch.rows {
			if i := j.lo + first + int64(k); j.ps.External(i) {
				if err := j.ps.Next(i, r); err != nil {
					return err
				}
			}
			for _, w := range j.writers {
				if err := w.Write(r); err != nil {
					return err
				}
			}
		}
		// The chunk's memory is reused after this: the Parquet writer lets go of its rows.
		if j.parquet != nil {
			return j.parquet.Flush()
		}
		return nil
	}
	if j.jsonl != nil {
		if err := j.jsonl.WriteEncoded(ch.encoded); err != nil {
			return err
		}
	}
	if ch.group != nil {
		err := j.parquet.Commit(ch.group)
		j.work.groups <- ch.group
		ch.group = nil
		return err
	}
	return nil
}

// wrap names the job's split in err.
func (j *splitJob) wrap(err error) error {
	return fmt.Errorf("writing %s/%s: %w", j.pc.Name, j.ps.Name, err)
}

// close finishes the job's files, one per format in formats' order, and records them.
func (j *splitJob) close(formats []string) error {
	var err error
	for i, df := range j.files {
		if cerr := j.writers[i].Close(); err == nil {
			err = cerr
		}
		size, sum, cerr := df.Close()
		if err == nil {
			err = cerr
		}
		j.entries = append(j.entries, schemas.FileEntry{Path: df.Path, Format: formats[i], Rows: j.hi - j.lo, Bytes: size, SHA256: sum})
	}
	return err
}

// poisonRecycled makes the writers overwrite a chunk's strings as they hand it back, so that a test can
// prove that no row outlives its chunk: rows' strings are cut from the chunk's arena (records.Keep).
var (
	poisonRecycled = false
	poisoned       atomic.Int64 // chunks poisoned, so that the test knows it ran
)

// chunkRows is how many rows like sample a worker makes at once: ChunkRows, or fewer when their bytes
// would pass chunkBytes. It is a multiple of 64, the rows the Parquet writer hands on at once, so the
// row groups it ends by size end at the same rows whatever the chunks.
func chunkRows(sample []records.Row) int64 {
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

// sampleRows makes the first rows of a split that are not read from a stream, from which its chunks
// and row groups are sized.
func sampleRows(pc generators.PlanConfig, ps generators.PlanSplit, idKey uint64) []records.Row {
	w := records.NewWorker()
	var rows []records.Row
	for i := int64(0); i < ps.Rows && len(rows) < 64; i++ {
		if ps.External != nil && ps.External(i) {
			continue
		}
		row := pc.Layout.NewRow()
		pc.Layout.SetID(w, row, idKey, i)
		ps.Row(w, i, row)
		rows = append(rows, row)
	}
	return rows
}
