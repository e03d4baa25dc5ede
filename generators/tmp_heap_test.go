package generators

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

func TestTmpHeap(t *testing.T) {
	var cfg Config
	var set Options
	switch os.Getenv("RECIPE") {
	case "backdoor":
		cfg, set = Config{Recipe: "backdoor", Style: StyleMessages}, Options{"rows": 1000000, "eval-rows": 1000}
	case "bios":
		cfg, set = Config{Recipe: "bios", Style: StyleText}, Options{"people": 133333}
	case "outlandish":
		cfg, set = Config{Recipe: "outlandish", Style: StyleText}, Options{"samples": 100000, "repeat": "fixed:4"}
	default:
		t.Skip()
	}
	cfg.Name, cfg.Seed, cfg.Formats = "x", 42, []string{FormatParquet, FormatJSONL}
	done := false
	if _, err := Generate(context.Background(), &cfg, set, RunOptions{Out: t.TempDir(), Progress: func(d, all int64) {
		if !done && d > all/2 {
			done = true
			runtime.GC()
			f, _ := os.Create("/tmp/heap.prof")
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}}); err != nil {
		t.Fatal(err)
	}
}
