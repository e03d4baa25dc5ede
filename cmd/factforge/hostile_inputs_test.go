package main

// inputCases are the hostile cases of input files: recipe files, templates, claims, prompts, pairs and trigger sets.
var inputCases = []hostileCase{}
