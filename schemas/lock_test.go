package schemas

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// One writer a name: a second CreateDataset of the name fails with ErrBusy while the first is open,
// a name's stale staging folders go when it is next written, and an aborted dataset removes every
// folder of a nested out path it created, and its lock file.
func TestDatasetLockAndCleanup(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "a", "b", "c")
	first, err := CreateDataset(out, "ds", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CreateDataset(out, "ds", false); !errors.Is(err, ErrBusy) {
		t.Fatalf("a second writer of ds: %v, want ErrBusy", err)
	}
	other, err := CreateDataset(out, "other", false) // another name is free
	if err != nil {
		t.Fatal(err)
	}
	other.Abort()
	first.Abort()
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("aborting left %v under the root", entries)
	}

	// A staging folder left by a killed run: the next writer of the name removes it; Clean removes
	// those of names nobody writes and leaves a busy name's.
	os.MkdirAll(filepath.Join(out, ".ds.partial-123", "data"), 0o755)
	os.MkdirAll(filepath.Join(out, ".busy.partial-9"), 0o755)
	os.MkdirAll(filepath.Join(out, ".idle.partial-7.old"), 0o755)
	d, err := CreateDataset(out, "ds", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, ".ds.partial-123")); !os.IsNotExist(err) {
		t.Errorf("the stale staging folder of ds is still there: %v", err)
	}
	lock, err := LockName(out, "busy")
	if err != nil {
		t.Fatal(err)
	}
	removed, busy, err := Clean(out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(busy, []string{"busy", "ds"}) || !slices.Equal(removed, []string{filepath.Join(out, ".idle.partial-7.old")}) {
		t.Errorf("Clean removed %v and left %v busy; want the idle one removed, busy and ds (being written) left", removed, busy)
	}
	lock.Release()
	d.Abort()
}

// A dataset replaced while validate or stats reads it (generate --force renames the new one into place) is
// reported as replaced, not as the mismatches a half-read swap would show.
func TestValidateNoticesReplacement(t *testing.T) {
	dir := writeTestDataset(t, goodTrain, goodProbes, testRules)
	if problems, err := Validate(context.Background(), dir); err != nil || len(problems) != 0 {
		t.Fatalf("the dataset is not valid to start with: %v %v", problems, err)
	}
	defer func(f func()) { validated = f }(validated)
	swaps := 0
	validated = func() { // the swap of a --force run, between the reading and the end
		swaps++
		other := writeTestDataset(t, goodTrain, goodProbes, testRules)
		if err := os.Rename(dir, fmt.Sprintf("%s.old%d", dir, swaps)); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(other, dir); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Validate(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "was replaced while it was being read") {
		t.Errorf("a swap during validate gives %v", err)
	}
	_, _, err = Stats(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "was replaced while it was being read") {
		t.Errorf("a swap during stats gives %v", err)
	}
}
