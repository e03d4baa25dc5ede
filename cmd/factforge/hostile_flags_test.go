package main

// flagCases are the hostile cases of flags and names: numbers out of range, NaN, overflow, conflicting flags, --name, --out, --force.
var flagCases = []hostileCase{}
