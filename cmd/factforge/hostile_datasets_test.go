package main

// datasetCases are the hostile cases of datasets: manifests, tampering that validate must catch, merge and regenerate.
var datasetCases = []hostileCase{}
