// Package world is the seeded factory of entities every recipe draws from: fictitious people's names
// and descriptions of what they are known for, the real cities, universities and majors of
// biographies with invented employers, birth dates, the people, companies and things that claims name,
// and invented subjects (a country, an element, a dish) for fictitious facts. Every entity is a pure
// function of the seed and an index; names, descriptions, claim people and companies are unique within
// their pool by construction (entity i is element i of a keyed permutation of a finite pool), while
// words drawn from a list (claim things, invented subjects) may repeat.
package world

import "fmt"

// ErrPoolExhausted is wrapped by errors for a request larger than a pool.
var ErrPoolExhausted = fmt.Errorf("entity pool exhausted")
