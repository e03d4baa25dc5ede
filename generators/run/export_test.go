package run

// PoisonRecycled switches the overwriting of recycled chunks on or off, for the external tests.
func PoisonRecycled(on bool) { poisonRecycled = on }
