package schemas

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzManifest reads any bytes as a dataset's manifest, as validate and stats do, beside real data
// files: whatever the manifest says (counts of any size or sign, shards, rules of any shape, paths), it
// is refused with a *ManifestError or read, and then validating and describing the dataset neither
// panics nor allocates by the counts it states.
func FuzzManifest(f *testing.F) {
	dir := writeTestDataset(f, goodTrain, goodProbes, append(testRules,
		Rule{Kind: NotContained, Doc: "nc", Left: Select("eval", "", "fact_id"), Right: &Selection{Config: "train", Columns: []string{"fact_id"}}},
		Rule{Kind: Count, Doc: "count", Left: Select("train", "", "id"), Values: []string{"4"}}))
	good, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		f.Fatal(err)
	}
	text := string(good)
	f.Add(good)
	for _, edit := range [][2]string{
		{`"rows": 4,`, `"rows": 4611686018427387904,`},
		{`"rows": 4,`, `"rows": -1,`},
		{`"rows": 4,`, `"rows": 1000000000,`},
		{`"rows": 2,`, `"rows": 9223372036854775807,`},
		{`"bytes": `, `"bytes": -`},
		{`"columns": [
          "fact_id"
        ]
      }
    },`, `"columns": []
      }
    },`},
		{`"kind": "unique"`, `"kind": "not_contained"`},
		{`"kind": "count"`, `"kind": "subset"`},
		{`"values": [
        "4"
      ]`, `"values": ["-9223372036854775808"]`},
		{`"configs": [`, `"shard": {"index": 7, "count": 2}, "configs": [`},
		{`"configs": [`, `"shard": {"index": -1, "count": 2}, "configs": [`},
		{`"configs": [`, `"shard": {"index": 0, "count": 0}, "configs": [`},
		{`"path": "data/train`, `"path": "../data/train`},
		{`"path": "README.md"`, `"path": "data/README.md"`},
		{`"format": "parquet"`, `"format": "jsonl"`},
		{`"type": "string"`, `"type": "messages"`},
		{`"name": "train"`, `"name": "eval"`},
	} {
		if !strings.Contains(text, edit[0]) {
			f.Fatalf("seed edit %q matches nothing", edit[0])
		}
		f.Add([]byte(strings.Replace(text, edit[0], edit[1], 1)))
	}
	f.Add([]byte(`{"configs":[{"name":"train","columns":[],"splits":[{"name":"train","rows":1099511627776,"files":[]}]}],"rules":[{"kind":"unique","left":{"config":"train","columns":["id"]}}]}`))
	f.Add([]byte(`{"rules":[{"kind":"disjoint","left":{"config":"x","columns":["a"]},"right":{"config":"x","columns":[]}}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"configs":null,"card":{"path":"README.md","bytes":-1}}`))
	f.Fuzz(func(t *testing.T, manifest []byte) {
		if err := os.WriteFile(filepath.Join(dir, ManifestName), manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := ReadManifest(dir)
		if err != nil {
			var me *ManifestError
			if !errors.As(err, &me) {
				t.Fatalf("ReadManifest: %v is not a *ManifestError", err)
			}
			return
		}
		if m.Shard != nil && (m.Shard.Index < 0 || m.Shard.Index >= m.Shard.Count) {
			t.Fatalf("shard %+v read", *m.Shard)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := Validate(ctx, dir); ctx.Err() != nil {
			t.Fatalf("Validate did not end: %v", err)
		}
		Stats(ctx, dir)
	})
}
