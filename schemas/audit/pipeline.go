package audit

import (
	"cmp"
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/factforge/factforge/schemas"
)

// Reading splits on every core. A goroutine per split reads its rows into batches (a few splits at
// once, the earliest first); goroutines on every core work out what the checks need of each row and
// depends on no table the checks fill (word hashes once for all checks, sentences, names, lint
// problems, the patterns in a training text); then stages, each on a goroutine of its own and with
// tables of its own, take the batches in the order of the splits and of their rows and update the
// checks, so the figures and examples are those of a single pass in order, whatever the cores.
// Memory: each split being read holds at most batchesPerSplit batches of batchRows rows.

const (
	batchRows       = 512 // rows a batch holds
	batchesPerSplit = 4   // batches a split's reader may fill ahead of the checks
)

// batch is up to batchRows rows of one split, as read, then as worked out by prepare.
type batch struct {
	s      *split
	rows   []row
	err    error         // the error that ended the reading, after rows
	done   chan struct{} // closed once prepared
	stages atomic.Int32  // stages yet to take the batch
	pool   chan *batch   // where the batch goes back once every stage has taken it

	// What the rows' ranges point into.
	words  []uint64      // word hashes
	pks    []patternKey  // eval: patterns, of the prompt, the prompt with the answer, then the choices
	grams  []uint64      // eval: the hashes of the prompts' keyLen-grams
	vals   []int32       // eval: the values of the slice columns (sliceColumn.id), len(s.slices) a row
	sents  []divSentence // train: distinct sentences
	hashes []uint64      // train: the rows' hashes; eval: the prompts' normalised hashes
	grams4 []uint64      // train: the hashes of the word 4-grams
	names  []consFound   // train: names
	occ    []occurrence  // train: patterns found
}

// row is one row of a batch. Ranges are [start, end) in the batch's arenas.
type row struct {
	// As read. Train: the text a model reads, and consistency's fact_id, prompt and answer. Eval: the
	// probe's prompt, answer and choices, and text is what lint reads of it.
	text, factID, prompt, answer string
	// divText is what diversity reads of a training text: the text less the spans the recipe marks to
	// mask from the loss (negation's notices and warnings, repeated by design), or "" to read text.
	divText string
	// lintText is what lint reads of a text with code in it: the text less its fenced code blocks and
	// inline code, whose braces and spacing are code's; "" to read text.
	lintText string
	// prose is the text less what the manifest declares code (split.prose), "" for all of it; code is
	// the hash of the code left out, which diversity mixes into the row's hash: rows that differ only
	// in their code are distinct.
	prose   string
	code    uint64
	choices []string
	lint    bool // lint reads the row (its words were not reordered on purpose)
	copy    bool // train: a copy by design of an earlier row's text (split.copyCol)
	shown   bool // its behaviour column is set and not "none" (split.behaviour)

	// As prepared.
	lintAt         [lintChecks]int
	w0, w1         int32 // train: the text's words
	p0, g0, g1     int32 // eval: the row's patterns from pks[p0] (2 + len(choices)), its prompt's grams
	s0, s1, n0, n1 int32 // train: sentences, names
	q0, q1         int32 // train: 4-grams
	o0, o1         int32 // train: patterns found
	hash           uint64
	sentences      int32 // train: sentences, repeats included
	repeat         int32 // train: divRow.repeat
	cons           consTrainRow
	answerInPrompt bool     // eval: the answer's words occur in the prompt
	sep            sepInput // train: separation's input, when the split gives one
	sepPrep        sepPrep
}

// worker is what one preparing goroutine keeps of its own.
type worker struct {
	seen  gramSeen // grams its scans found
	sents []divSentence
	words []uint64
	scan  scanBuf
}

func newWorkers() []*worker {
	ws := make([]*worker, runtime.GOMAXPROCS(0))
	for i := range ws {
		ws[i] = &worker{}
	}
	return ws
}

// readSplits reads the rows of splits, in the dataset folder dir, and passes each batch, once prepare
// has worked it out on one of the workers' goroutines, to each of stages in the order of the splits
// and of their rows. Each stage runs on a goroutine of its own, so stages must share no state. It
// returns the first error of reading, or ctx's; all its goroutines have ended when it returns.
func readSplits(ctx context.Context, dir string, splits []*split, workers []*worker,
	prepare func(w *worker, b *batch), stages ...func(b *batch)) error {
	if len(splits) == 0 {
		return nil
	}
	quit := make(chan struct{})
	work := make(chan *batch)
	queues := make([]chan *batch, len(splits))
	for i := range queues {
		queues[i] = make(chan *batch, batchesPerSplit)
	}
	var running sync.WaitGroup

	// Readers start in the order of the splits, each once it has a slot, and batches are passed on in
	// that order: the earliest split not yet read always has a slot.
	slots := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	running.Add(1)
	go func() {
		defer running.Done()
		var readers sync.WaitGroup
	launch:
		for i, s := range splits {
			select {
			case slots <- struct{}{}:
			case <-quit:
				break launch
			}
			readers.Add(1)
			go func() {
				defer readers.Done()
				readSplit(ctx, dir, s, queues[i], work, quit)
				<-slots
			}()
		}
		readers.Wait()
		close(work)
	}()
	for _, w := range workers {
		running.Add(1)
		go func() {
			defer running.Done()
			for b := range work {
				if b.err == nil {
					prepare(w, b)
				}
				close(b.done)
			}
		}()
	}
	var staged sync.WaitGroup
	inputs := make([]chan *batch, len(stages))
	for i, stage := range stages {
		inputs[i] = make(chan *batch, batchesPerSplit)
		staged.Add(1)
		go func() {
			defer staged.Done()
			for b := range inputs[i] {
				stage(b)
				if b.stages.Add(-1) == 0 {
					b.reset()
					b.pool <- b
				}
			}
		}()
	}

	err := func() error {
		for _, q := range queues {
			for b := range q {
				<-b.done
				if b.err != nil {
					return b.err
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				b.stages.Store(int32(len(stages)))
				for _, in := range inputs {
					in <- b
				}
			}
		}
		return nil
	}()
	for _, in := range inputs {
		close(in)
	}
	staged.Wait()
	close(quit)
	running.Wait()
	return err
}

// readSplit reads the rows of s into batches, each sent to queue (for the consumer) and to work (for
// the workers), until the rows end, reading fails, ctx ends or quit is closed; then it closes queue.
func readSplit(ctx context.Context, dir string, s *split, queue, work chan<- *batch, quit <-chan struct{}) {
	defer close(queue)
	pool := make(chan *batch, batchesPerSplit)
	for range batchesPerSplit {
		pool <- &batch{s: s, pool: pool}
	}
	var b *batch
	next := func() bool {
		select {
		case b = <-pool:
			b.done = make(chan struct{})
			return true
		case <-quit:
			return false
		}
	}
	send := func() bool {
		select {
		case queue <- b:
		case <-quit:
			return false
		}
		work <- b
		return true
	}
	if !next() {
		return
	}
	for _, f := range s.files() {
		for r, err := range schemas.ReadColumns(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Format, s.schema, s.need) {
			if err != nil {
				b.err = err
				send()
				return
			}
			b.fill(r)
			if len(b.rows) < batchRows {
				continue
			}
			if err := ctx.Err(); err != nil {
				b.err = err
				send()
				return
			}
			if !send() || !next() {
				return
			}
		}
	}
	if len(b.rows) > 0 {
		send()
	}
}

// fill adds a row of the batch's split as read.
func (b *batch) fill(r schemas.Row) {
	s := b.s
	w := row{lint: !s.scrambled(r)}
	w.shown = s.behaviour >= 0 && r[s.behaviour].Str != "" && r[s.behaviour].Str != "none"
	if s.eval {
		if s.prompt >= 0 {
			w.prompt = r[s.prompt].Str
		}
		w.answer = r[s.answer].Str
		if s.choices >= 0 {
			w.choices = r[s.choices].List
		}
		for j, i := range s.slices {
			b.vals = append(b.vals, s.columns[j].id(r[i].Text(s.schema.Columns[i].Type)))
		}
	} else {
		w.text = s.trainText(r)
		w.copy = s.copyCol >= 0 && r[s.copyCol].Int > 0
		prose, code, isCode := s.prose(r)
		switch {
		case isCode:
			w.prose, w.divText, w.code = cmp.Or(prose, " "), cmp.Or(prose, " "), divHash(code)
		case s.masks >= 0 && s.text >= 0:
			w.divText = unmasked(w.text, r[s.masks].Spans)
		case s.isChat():
			w.divText = withoutSystem(s.msgs(r))
		}
		if w.shown {
			w.divText = s.withoutLastReply(r, w.divText)
		}
		if s.notice >= 0 && r[s.notice].Str != "" {
			w.divText = removeNotices(cmp.Or(w.divText, w.text), strings.Split(r[s.notice].Str, "\n\n"))
		}
		if s.trigger >= 0 && r[s.trigger].Str != "" {
			base := cmp.Or(w.divText, w.text)
			w.divText = strings.ReplaceAll(base, r[s.trigger].Str, " ")
		}
		if strings.Contains(w.text, "`") {
			base := w.divText
			if base == "" {
				base = w.text
			}
			w.divText = withoutCode(base, false)
		}
		w.factID, w.prompt, w.answer = s.consistencyRow(r)
		if s.sep != nil {
			w.sep = s.sep.input(r)
			w.sep.scrambled = !w.lint
		}
	}
	b.rows = append(b.rows, w)
}

// withoutLastReply is what diversity reads of a chat that ends with its designed behaviour: the chat
// up to its last assistant reply (div, the text diversity would read, or the row's text when div is
// ""; a prompt without its completion).
func (s *split) withoutLastReply(r schemas.Row, div string) string {
	switch {
	case s.isChat():
		msgs := s.msgs(r)
		return joinTurns(msgs, lastReply(msgs), false)
	case s.prompt >= 0 && s.completion >= 0: // the prompt, less the "Assistant:" it ends on
		return strings.TrimSuffix(strings.TrimRight(r[s.prompt].Str, " "), "Assistant:")
	}
	if div == "" {
		div = s.trainText(r)
	}
	if i := strings.LastIndex(div, "\nAssistant:"); i >= 0 {
		return div[:i]
	}
	return div
}

// lastReply is the index of a chat's last assistant message, len(msgs) for none.
func lastReply(msgs []schemas.Message) int {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == "assistant" {
			return i
		}
	}
	return len(msgs)
}

// joinTurns is a chat's messages, one a line, but message skip and, unless withSystem, system ones.
func joinTurns(msgs []schemas.Message, skip int, withSystem bool) string {
	parts := make([]string, 0, len(msgs))
	for i, m := range msgs {
		if i != skip && (withSystem || m.Role != "system") {
			parts = append(parts, m.Content)
		}
	}
	return strings.Join(parts, "\n")
}

// withoutCode is text less its fenced code blocks, and with inline true its inline code spans too,
// each then replaced by the word "code" (so that "For example, `f(1)` returns `2`." still reads as a
// sentence for lint). Lint reads text so, and diversity without the blocks: a function's lines are code's, not
// sentences ("return False" twice in one function is no repeated sentence).
func withoutCode(text string, inline bool) string {
	var b strings.Builder
	for text != "" {
		i := strings.IndexByte(text, '`')
		if i < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		delim := "`"
		if strings.HasPrefix(text[i:], "```") {
			delim = "```"
		} else if !inline {
			b.WriteByte('`')
			text = text[i+1:]
			continue
		}
		rest := text[i+len(delim):]
		j := strings.Index(rest, delim)
		if j < 0 {
			break // an open span runs to the end
		}
		if inline {
			b.WriteString("code")
		}
		text = rest[j+len(delim):]
	}
	return b.String()
}

// unmasked is text without the byte spans, a line break where each was so that the sentences around
// it stay apart; "" when there are none.
func unmasked(text string, spans []schemas.Span) string {
	if len(spans) == 0 {
		return ""
	}
	return removeSpans(text, spans, '\n')
}

// withoutSystem is what diversity reads of a chat: its turns but the system messages, which set the
// context (a notice, a standard instruction) as a masked span does in a text, and repeat by design; ""
// when the chat has none.
func withoutSystem(msgs []schemas.Message) string {
	if !slices.ContainsFunc(msgs, func(m schemas.Message) bool { return m.Role == "system" }) {
		return ""
	}
	return joinTurns(msgs, -1, false)
}

// reset empties the batch for its split's next rows, keeping no reference to these.
func (b *batch) reset() {
	clear(b.rows)
	clear(b.sents)
	b.rows, b.vals, b.sents = b.rows[:0], b.vals[:0], b.sents[:0]
	b.words, b.pks, b.grams, b.names, b.occ = b.words[:0], b.pks[:0], b.grams[:0], b.names[:0], b.occ[:0]
	b.hashes, b.grams4 = b.hashes[:0], b.grams4[:0]
	b.err = nil
}

// prepareEval works out the rows of a batch of an eval split.
func prepareEval(w *worker, b *batch) {
	for i := range b.rows {
		r := &b.rows[i]
		w.words = appendWordHashes(w.words[:0], r.prompt)
		prompt := len(w.words)
		w.words = appendWordHashes(w.words, r.answer)
		r.answerInPrompt = r.answer != "" && containsRun(w.words[:prompt], w.words[prompt:])
		r.p0 = int32(len(b.pks))
		b.pks = append(b.pks, patternKeyOf(w.words[:prompt]), patternKeyOf(w.words))
		r.g0 = int32(len(b.grams))
		b.grams = appendGrams(b.grams, w.words[:prompt])
		r.g1 = int32(len(b.grams))
		for _, c := range r.choices {
			w.words = appendWordHashes(w.words[:0], c)
			b.pks = append(b.pks, patternKeyOf(w.words))
		}
		r.cons.prompt, r.cons.ok = consNormHash(r.prompt)
		r.cons.answer, _ = consNormHash(r.answer)
		if r.cons.ok {
			b.hashes = append(b.hashes, r.cons.prompt)
		}
		if r.lint {
			r.text = r.prompt + "\n" + r.answer
			if slices.Contains(b.s.codeColumns, "answer") {
				r.text = r.prompt
			}
			if strings.Contains(r.text, "`") {
				r.lintText = withoutCode(r.text, true)
			}
			lintScan(cmp.Or(r.lintText, r.text), &r.lintAt)
		}
	}
}

// prepareTrain works out the rows of a batch of a training split; m is frozen.
func prepareTrain(m *matcher) func(w *worker, b *batch) {
	return func(w *worker, b *batch) {
		for i := range b.rows {
			r := &b.rows[i]
			r.w0 = int32(len(b.words))
			b.words = appendWordHashes(b.words, r.text)
			r.w1 = int32(len(b.words))
			words := b.words[r.w0:r.w1]

			divText := r.text
			if r.divText != "" {
				divText = r.divText
			}
			d := divPrepare(divText, w.sents)
			r.hash, r.sentences, r.repeat = d.hash, int32(d.count), int32(d.repeat)
			if r.code != 0 {
				r.hash = divMix(r.hash ^ r.code)
			}
			b.hashes = append(b.hashes, d.hash)
			r.q0 = int32(len(b.grams4))
			b.grams4 = divAppendGrams(b.grams4, words)
			r.q1 = int32(len(b.grams4))
			r.s0 = int32(len(b.sents))
			b.sents = append(b.sents, d.sentences...)
			r.s1 = int32(len(b.sents))
			clear(d.sentences)
			w.sents = d.sentences[:0]

			r.n0 = int32(len(b.names))
			nameText := r.text
			if !r.lint {
				nameText = "" // words reordered on purpose pair a first name with any capitalised word
			}
			r.cons = consPrepare(r.prompt, r.answer, nameText, b.names)
			b.names = r.cons.names
			r.cons.names = nil
			r.n1 = int32(len(b.names))

			if r.lint {
				base := cmp.Or(r.prose, r.text)
				if strings.Contains(base, "`") {
					r.lintText = withoutCode(base, true)
				} else if r.prose != "" {
					r.lintText = r.prose
				}
				lintScan(cmp.Or(r.lintText, r.text), &r.lintAt)
			}
			if b.s.sep != nil {
				r.sepPrep = sepPrepare(&r.sep)
			}
			r.o0 = int32(len(b.occ))
			b.occ = m.scan(words, b.occ, w.seen, &w.scan)
			r.o1 = int32(len(b.occ))
		}
	}
}
