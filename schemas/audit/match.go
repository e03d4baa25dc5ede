package audit

// Matching probes against training text. Texts are normalised for matching by cutting them into
// words (see tokens.go: lower-cased, cut at white space, the punctuation around each word trimmed), so
// "occurs in" means "occurs as a run of whole words, whatever the case, the spacing and the
// punctuation between them". A matcher holds patterns (probe prompts, prompts with their answers,
// multiple-choice options), each once however many probes have it, as the chained hash of their
// words and their length; it indexes them by the hash of their first (up to) keyLen words, which
// lists the lengths of the patterns that start so. A scan of a text looks its words up in small
// Bloom filters of the patterns' first words and first two words; only where both pass does it chain
// the hashes of the windows of up to keyLen words and look them up in the filter of keys, and a key
// found is followed by a lookup of the whole pattern for each of its lengths. So most words cost a
// filter read and no table access. Two different runs of words share a chained hash with a
// probability of about 2^-64. The prompts' keyLen-grams are kept too, as a rolling hash, so that
// a scan can mark those a text holds.
//
// Patterns are added while the eval splits are read; freeze then builds the filters, and from then
// on scans only read the matcher, so any number of goroutines may scan at once, each marking the
// keyLen-grams it sees in a gramSeen of its own (merged with or).
//
// Memory, per pattern: 21 to 43 bytes in whole, 12 in lengths and gramsOf, and per distinct key
// about as much in keys; per prompt, 4 bytes a gram in gramIDs, and per distinct gram 21 to 43 bytes
// in grams; after freeze, Bloom filters of about 2 bytes an entry.

const keyLen = 8 // words of a pattern's key; also the n of the n-grams whose share is reported

// chain extends the hash of a run of words by the next word's hash. For a given run, it is a bijection
// of the hash so far: runs that differ once differ to the end.
func chain(h, w uint64) uint64 { return (h^w)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019 }

// matcher finds patterns in texts.
type matcher struct {
	patterns int32     // patterns added, numbered from 0
	whole    hashIndex // patternKey.whole -> the pattern's id
	keys     hashIndex // hash of a pattern's key words -> its first node in lengths; once frozen, its run in runs
	lengths  []lengthNode
	runs     []int32          // once frozen, for each key: how many lengths its patterns have, then those lengths
	lens     [keyLen + 1]bool // key lengths in use
	// grams are the keyLen-grams of the patterns that asked for them, numbered in order of first
	// appearance; gramsOf[id] are a pattern's in gramIDs; seen marks those a scan found (gramSeen).
	grams   hashIndex
	ngrams  int32
	gramsOf []gramSpan
	gramIDs []int32
	seen    gramSeen
	// firsts are the first words of the patterns and pairs their first two words (of those of two or
	// more), for the small filters a scan looks through before it looks for keys.
	firsts, pairs                          hashIndex
	keyBits, gramBits, firstBits, pairBits bloom
	sink                                   uint64 // what touch read
}

// lengthNode is a length of the patterns of one key, and the key's next node (-1 for none).
type lengthNode struct{ n, next int32 }

// gramSpan is where a pattern's grams are in gramIDs; start is -1 while they are not registered.
type gramSpan struct{ start, end int32 }

// patternKey is a pattern as the matcher indexes it, worked out from its words on any goroutine: the
// hash of all its words and its length, the hash of its key words, its first word and its first two.
type patternKey struct {
	whole, key, first, pair uint64
	n                       int32 // words, 0 for none
}

func patternKeyOf(hs []uint64) patternKey {
	pk := patternKey{n: int32(len(hs))}
	if len(hs) == 0 {
		return pk
	}
	k := min(len(hs), keyLen)
	for _, w := range hs[:k] {
		pk.key = chain(pk.key, w)
	}
	full := pk.key
	for _, w := range hs[k:] {
		full = chain(full, w)
	}
	pk.whole = patternHash(full, len(hs))
	pk.first = hs[0]
	if len(hs) >= 2 {
		pk.pair = chain(chain(0, hs[0]), hs[1])
	}
	return pk
}

// patternHash is what whole indexes a pattern by: the chained hash of its words, and its length.
func patternHash(chained uint64, n int) uint64 { return chain(chained, uint64(n)) }

// appendGrams appends the hashes of the keyLen-grams of the words hs: the polynomial
// sum over the gram's words of w*gramMul^(keyLen-1-i), which rolls from one gram to the next in two
// multiplications (gramMul is odd, so grams that differ in one word differ in hash).
func appendGrams(dst, hs []uint64) []uint64 {
	if len(hs) < keyLen {
		return dst
	}
	var g uint64
	for _, w := range hs[:keyLen] {
		g = g*gramMul + w
	}
	dst = append(dst, g)
	for i := keyLen; i < len(hs); i++ {
		g = (g-hs[i-keyLen]*gramTop)*gramMul + hs[i]
		dst = append(dst, g)
	}
	return dst
}

const gramMul = 0xbf58476d1ce4e5b9

// gramTop is gramMul^(keyLen-1), the weight of a gram's first word.
var gramTop = func() uint64 {
	p := uint64(1)
	for range keyLen - 1 {
		p *= gramMul
	}
	return p
}()

func newMatcher() *matcher { return &matcher{} }

// add adds a pattern, unless it has it already, and returns its id, or -1 for a pattern of no words.
// With withGrams, it registers the pattern's keyLen-grams too, whose hashes are grams.
func (m *matcher) add(pk patternKey, withGrams bool, grams []uint64) int32 {
	if pk.n == 0 {
		return -1
	}
	id, ok := m.whole.get(pk.whole)
	if !ok {
		id = m.patterns
		m.patterns++
		m.whole.put(pk.whole, id)
		m.gramsOf = append(m.gramsOf, gramSpan{start: -1})
		head, ok := m.keys.get(pk.key)
		if !ok {
			head = -1
		}
		i := head
		for i >= 0 && m.lengths[i].n != pk.n {
			i = m.lengths[i].next
		}
		if i < 0 {
			m.keys.put(pk.key, int32(len(m.lengths)))
			m.lengths = append(m.lengths, lengthNode{n: pk.n, next: head})
		}
		m.lens[min(pk.n, keyLen)] = true
		m.firsts.put(pk.first, 0)
		if pk.n >= 2 {
			m.pairs.put(pk.pair, 0)
		}
	}
	if withGrams && m.gramsOf[id].start < 0 {
		start := int32(len(m.gramIDs))
		for _, g := range grams {
			gid, ok := m.grams.get(g)
			if !ok {
				gid = m.ngrams
				m.grams.put(g, gid)
				m.ngrams++
			}
			m.gramIDs = append(m.gramIDs, gid)
		}
		m.gramsOf[id] = gramSpan{start: start, end: int32(len(m.gramIDs))}
	}
	return id
}

// touch reads the slots that adding the patterns pks and the grams would look at, so that the adds
// that follow find them in cache (see hashIndex.touch).
func (m *matcher) touch(pks []patternKey, grams []uint64) {
	m.whole.reserve(m.whole.n + len(pks))
	m.keys.reserve(m.keys.n + len(pks))
	m.grams.reserve(m.grams.n + len(grams))
	for i := range pks {
		m.sink ^= m.whole.touch(pks[i].whole) ^ m.keys.touch(pks[i].key)
	}
	for _, g := range grams {
		m.sink ^= m.grams.touch(g)
	}
}

// freeze ends the adding of patterns: it builds the filters that scans look through.
func (m *matcher) freeze() {
	// Each key's lengths, from a list to a run, read in one go.
	m.runs = make([]int32, 0, m.keys.n+len(m.lengths))
	for i := range m.keys.slots {
		sl := &m.keys.slots[i]
		if sl.v == 0 {
			continue
		}
		start := len(m.runs)
		m.runs = append(m.runs, 0)
		for j := sl.v - 1; j >= 0; j = m.lengths[j].next {
			m.runs = append(m.runs, m.lengths[j].n)
		}
		m.runs[start] = int32(len(m.runs) - start - 1)
		sl.v = int32(start) + 1
	}
	m.lengths = nil
	m.keyBits, m.gramBits = m.keys.bloom(), m.grams.bloom()
	m.firstBits, m.pairBits = m.firsts.bloom(), m.pairs.bloom()
	m.firsts, m.pairs = hashIndex{}, hashIndex{}
	m.seen = newGramSeen(m.ngrams)
}

// occurrence is a pattern found in a text, and the word where it starts.
type occurrence struct{ id, at int32 }

// scanBuf is what a scan works in, reused from text to text.
type scanBuf struct {
	grams []uint64 // the text's keyLen-grams
	keys  []window // its windows whose first words pass the filters
	pass  []bool
	sink  uint64
}

// window is a run of k words of a text, from word pos, and their chained hash.
type window struct {
	h      uint64
	pos, k int32
}

// scan finds the patterns in a text given as word hashes: it appends each occurrence to occ, and marks
// in seen the keyLen-grams of the patterns that the text holds. The matcher must be frozen.
//
// It goes by stages over all the text's windows, so that the filters' and tables' reads do not wait
// on one another: it hashes the grams, and the windows that may start a pattern (their first words
// pass the small filters); then it reads the large filters for all of them at once; then it touches
// the tables for those that pass, and only then looks them up.
func (m *matcher) scan(hs []uint64, occ []occurrence, seen gramSeen, b *scanBuf) []occurrence {
	b.grams, b.keys = b.grams[:0], b.keys[:0]
	if m.ngrams > 0 {
		b.grams = appendGrams(b.grams, hs)
	}
	for pos := range hs {
		if !m.firstBits.has(hs[pos]) {
			continue
		}
		h := chain(0, hs[pos])
		for k := 1; ; {
			if m.lens[k] {
				b.keys = append(b.keys, window{h: h, pos: int32(pos), k: int32(k)})
			}
			if k++; k > keyLen || pos+k > len(hs) {
				break
			}
			h = chain(h, hs[pos+k-1])
			if k == 2 && !m.pairBits.has(h) {
				break
			}
		}
	}

	// Grams.
	b.pass = m.gramBits.hasAll(b.grams, b.pass[:0])
	for i, g := range b.grams {
		if b.pass[i] {
			b.sink ^= m.grams.touch(g)
		}
	}
	for i, g := range b.grams {
		if b.pass[i] {
			if id, ok := m.grams.get(g); ok {
				seen.set(id)
			}
		}
	}

	// Keys, then whole patterns.
	b.pass = b.pass[:0]
	for _, w := range b.keys {
		b.pass = append(b.pass, m.keyBits.has(w.h))
	}
	for i, w := range b.keys {
		if b.pass[i] {
			b.sink ^= m.keys.touch(w.h)
		}
	}
	for i, w := range b.keys {
		if !b.pass[i] {
			continue
		}
		j, ok := m.keys.get(w.h)
		if !ok {
			continue
		}
		for _, n := range m.runs[j+1 : j+1+m.runs[j]] {
			if min(n, keyLen) != w.k || int(w.pos+n) > len(hs) {
				continue
			}
			full := w.h
			for _, x := range hs[w.pos+w.k : w.pos+n] {
				full = chain(full, x)
			}
			if id, ok := m.whole.get(patternHash(full, int(n))); ok {
				occ = append(occ, occurrence{id: id, at: w.pos})
			}
		}
	}
	return occ
}

// gramShare is how many of the keyLen-grams of the patterns ids (with repeats) scans have seen, and
// how many there are.
func (m *matcher) gramShare(ids []int32) (seen, total int64) {
	for _, id := range ids {
		if id < 0 {
			continue
		}
		sp := m.gramsOf[id]
		for _, g := range m.gramIDs[max(sp.start, 0):sp.end] {
			total++
			if m.seen.has(g) {
				seen++
			}
		}
	}
	return seen, total
}

// gramSeen is a set of gram ids, as bits.
type gramSeen []uint64

func newGramSeen(n int32) gramSeen  { return make(gramSeen, (n+63)/64) }
func (s gramSeen) set(g int32)      { s[g/64] |= 1 << (g % 64) }
func (s gramSeen) has(g int32) bool { return s[g/64]&(1<<(g%64)) != 0 }
func (s gramSeen) or(other gramSeen) {
	for i, w := range other {
		s[i] |= w
	}
}

// ---- Tables ----

// fibMul spreads a hash over the top bits of the product, which place it in a table.
const fibMul = 0x9e3779b97f4a7c15

// hashIndex maps 64-bit hashes to int32 values: open addressing with linear probing in a power-of-2
// table at most 3/4 full, placed by the top bits of a multiplicative hash. 16 bytes a slot, so 21 to
// 43 bytes an entry; a lookup mostly reads one cache line (a Go map[uint64]int32 takes 20 to 40 bytes
// an entry, and its lookups cost more).
type hashIndex struct {
	slots []hashSlot
	n     int
	shift uint // 64 - log2(len(slots))
}

type hashSlot struct {
	h uint64
	v int32 // value + 1; 0 marks an empty slot
}

func (t *hashIndex) get(h uint64) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.slots) - 1
	for i := int(h * fibMul >> t.shift); ; i = (i + 1) & mask {
		switch s := &t.slots[i]; {
		case s.v == 0:
			return 0, false
		case s.h == h:
			return s.v - 1, true
		}
	}
}

// touch reads the slot where h would be, and returns the hash there. Reading first the slots that a
// run of lookups will use, in a loop whose reads do not depend on one another, lets the processor wait
// for their cache misses at once, where lookups one at a time wait for each: the lookups then find the
// slots in cache. The caller keeps what touch returns (any use will do), so that the reads are done.
func (t *hashIndex) touch(h uint64) uint64 {
	if len(t.slots) == 0 {
		return 0
	}
	return t.slots[h*fibMul>>t.shift].h
}

// put sets h's value to v, and returns the value it had.
func (t *hashIndex) put(h uint64, v int32) (old int32, had bool) {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.reserve(2 * (t.n + 1))
	}
	mask := len(t.slots) - 1
	for i := int(h * fibMul >> t.shift); ; i = (i + 1) & mask {
		switch s := &t.slots[i]; {
		case s.v == 0:
			s.h, s.v = h, v+1
			t.n++
			return 0, false
		case s.h == h:
			old, s.v = s.v-1, v+1
			return old, true
		}
	}
}

// reserve makes room for n entries.
func (t *hashIndex) reserve(n int) {
	size, shift := 64, uint(58)
	for 3*size < 4*n {
		size, shift = 2*size, shift-1
	}
	if size <= len(t.slots) {
		return
	}
	old := t.slots
	t.slots, t.n, t.shift = make([]hashSlot, size), 0, shift
	for _, s := range old {
		if s.v != 0 {
			t.put(s.h, s.v-1)
		}
	}
}

// bloom is a Bloom filter of the table's hashes.
func (t *hashIndex) bloom() bloom {
	b := newBloom(t.n)
	for _, s := range t.slots {
		if s.v != 0 {
			b.add(s.h)
		}
	}
	return b
}

// bloom is a blocked Bloom filter: two bits in one 64-bit word per hash, about 16 bits per hash
// held, so about 1.5% of the hashes not held pass.
type bloom struct {
	words []uint64
	shift uint
}

func newBloom(n int) bloom {
	size, shift := 2, uint(63)
	for size*64 < 16*n {
		size, shift = 2*size, shift-1
	}
	return bloom{words: make([]uint64, size), shift: shift}
}

func (b *bloom) bits(h uint64) (word uint64, mask uint64) {
	x := h * 0xd6e8feb86659fd93
	return x >> b.shift, 1<<(x>>20&63) | 1<<(x>>26&63)
}

func (b *bloom) add(h uint64) {
	w, m := b.bits(h)
	b.words[w] |= m
}

// hasAll appends to dst, for each of hs, whether the filter may hold it.
func (b *bloom) hasAll(hs []uint64, dst []bool) []bool {
	if len(b.words) == 0 {
		for range hs {
			dst = append(dst, false)
		}
		return dst
	}
	for _, h := range hs {
		w, m := b.bits(h)
		dst = append(dst, b.words[w]&m == m)
	}
	return dst
}

func (b *bloom) has(h uint64) bool {
	if len(b.words) == 0 {
		return false
	}
	w, m := b.bits(h)
	return b.words[w]&m == m
}
