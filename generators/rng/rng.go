// Package rng derives reproducible random streams and permutations from a master seed, a purpose and an
// index, so that every random choice in a dataset is a pure function of those three and never of the
// order in which work is done.
package rng

import (
	"hash/fnv"
	"math/rand/v2"
)

// Mix combines two 64-bit values into one well-mixed value (the splitmix64 finaliser over their sum).
func Mix(a, b uint64) uint64 {
	z := a + 0x9e3779b97f4a7c15*(b+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Key derives the key of one purpose ("names", "paraphrase", ...) from the master seed. Purposes are
// hashed with FNV-1a, which is fixed by its specification, so keys are stable across Go versions.
func Key(seed uint64, purpose string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	return Mix(seed, h.Sum64())
}

// Stream is a reusable random stream; Reset points it at (key, index) without allocating.
type Stream struct {
	*rand.Rand
	pcg rand.PCG
}

// NewStream returns a stream; call Reset before drawing from it.
func NewStream() *Stream {
	s := &Stream{}
	s.Rand = rand.New(&s.pcg)
	return s
}

// Reset makes the stream's draws a pure function of key and index.
func (s *Stream) Reset(key, index uint64) { s.pcg.Seed(key, Mix(key, index)) }

// Source exposes the stream's generator, for libraries that take a rand.Source (gofakeit.NewFaker).
func (s *Stream) Source() rand.Source { return &s.pcg }

// Perm is a keyed pseudo-random permutation of [0, n): a balanced Feistel network over the smallest
// even number of bits that covers n, with cycle-walking back into range. At(i) needs no state and no
// table, so element i of a shuffled order, or the i-th draw without replacement, is computed directly.
type Perm struct {
	n, key   uint64
	halfBits uint
	mask     uint64
}

const feistelRounds = 6

// NewPerm returns the permutation of [0, n) selected by key.
func NewPerm(n, key uint64) Perm {
	half := uint(1)
	for n > 1<<(2*half) {
		half++
	}
	return Perm{n: n, key: key, halfBits: half, mask: 1<<half - 1}
}

// Len is n.
func (p Perm) Len() uint64 { return p.n }

// At returns the image of i, for i in [0, n).
func (p Perm) At(i uint64) uint64 {
	if p.n <= 1 {
		return 0
	}
	x := i
	for {
		x = p.encrypt(x)
		if x < p.n {
			return x
		}
	}
}

func (p Perm) encrypt(x uint64) uint64 {
	l, r := x>>p.halfBits, x&p.mask
	for round := uint64(0); round < feistelRounds; round++ {
		l, r = r, l^(Mix(p.key+round, r)&p.mask)
	}
	return l<<p.halfBits | r
}
