package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/factforge/factforge/schemas"
)

// FuzzShardManifest gives the second shard of a two-shard run any manifest, and runs validate on it
// and merge on both shards, as a user would: neither may panic or hang, each exits 0, 1 or 2, and a
// merge that fails leaves no dataset behind.
func FuzzShardManifest(f *testing.F) {
	root := f.TempDir()
	out := filepath.Join(root, "out")
	var dirs []string
	for i := range 2 {
		var stderr bytes.Buffer
		args := []string{"factforge", "generate", "reversal", "--facts-per-group", "2", "--format", "jsonl", "--out", out, "-q", "--shard", fmt.Sprintf("%d/2", i)}
		if code := runMain(context.Background(), args, &bytes.Buffer{}, &stderr); code != exitOK {
			f.Fatal(stderr.String())
		}
		dirs = append(dirs, filepath.Join(out, fmt.Sprintf("reversal.shard-%05d-of-00002", i)))
	}
	manifestPath := filepath.Join(dirs[1], schemas.ManifestName)
	good, err := os.ReadFile(manifestPath)
	if err != nil {
		f.Fatal(err)
	}
	text := string(good)
	f.Add(good)
	for _, edit := range [][2]string{
		{`"index": 1`, `"index": 7`},
		{`"index": 1`, `"index": -1`},
		{`"index": 1`, `"index": 0`},
		{`"count": 2`, `"count": 0`},
		{`"count": 2`, `"count": 100000`},
		{`"rows": 120,`, `"rows": 4611686018427387904,`},
		{`"rows": 120,`, `"rows": -120,`},
		{`"rows": 120,`, `"rows": 1000000000,`},
		{`"columns": [
          "id"
        ]`, `"columns": []`},
		{`"kind": "unique"`, `"kind": "not_contained"`},
		{`"path": "jsonl/train/train-00001-of-00002.jsonl"`, `"path": "jsonl/train/train-00000-of-00002.jsonl"`},
		{`"path": "jsonl/train/train-00001-of-00002.jsonl"`, `"path": "../../victim.txt"`},
		{`"seed": 42,`, `"seed": 43,`},
		{`"factforge_version": "`, `"factforge_version": "x`},
		{`"recipe": "reversal",`, `"recipe": "bios",`},
		{`"style": "text"`, `"style": 5`},
	} {
		if !strings.Contains(text, edit[0]) {
			f.Fatalf("seed edit %q matches nothing", edit[0])
		}
		f.Add([]byte(strings.Replace(text, edit[0], edit[1], 1)))
	}
	f.Add([]byte(`{"shard":{"index":1,"count":2}}`))
	f.Add([]byte(`{"shard":{"index":1,"count":2},"configs":[{"name":"train","splits":[{"name":"train","rows":-1}]}]}`))
	f.Add([]byte(`[]`))
	n := 0
	f.Fuzz(func(t *testing.T, manifest []byte) {
		if err := os.WriteFile(manifestPath, manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		run := func(args ...string) int {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := runMain(ctx, append([]string{"factforge"}, args...), &stdout, &stderr)
			if ctx.Err() != nil {
				t.Fatalf("%v ran until its timeout", args)
			}
			if code < 0 || code > 2 || strings.Contains(stderr.String(), "goroutine ") {
				t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
			}
			return code
		}
		run("validate", dirs[1])
		n++
		merged := filepath.Join(root, fmt.Sprintf("merged-%d", n))
		if code := run("merge", "--out", merged, "-q", dirs[0], dirs[1]); code != exitOK {
			if _, err := os.Stat(merged); err == nil {
				t.Fatalf("merge failed with exit %d, and left %s", code, merged)
			}
		}
		os.RemoveAll(merged)
	})
}
