// Package world is the seeded factory of fictitious entities: people's names and descriptions of what
// they are known for. Every entity is a pure function of (seed, index), unique within a dataset by
// construction, because entity i is element i of a keyed permutation of a finite pool.
package world

import "fmt"

// ErrPoolExhausted is wrapped by errors for a request larger than a pool.
var ErrPoolExhausted = fmt.Errorf("entity pool exhausted")
