package run

// PoisonRecycled switches the overwriting of recycled chunks on or off, for the external tests.
func PoisonRecycled(on bool) { poisonRecycled = on }

// Poisoned is how many recycled chunks have been overwritten so far.
func Poisoned() int64 { return poisoned.Load() }
