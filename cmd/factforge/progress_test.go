package main

import "testing"

// A progress line fits the terminal whatever its width, so it never wraps; counts carry separators.
func TestProgressLayoutFits(t *testing.T) {
	for _, cols := range []int{20, 30, 49, 50, 60, 80, 200} {
		for _, total := range []int64{9, 6000, 1_000_000, 123_456_789_012} {
			desc, width, withTime := progressLayout(cols, total/3, total)
			line := len(desc) + width + barFrame
			if withTime {
				line += barTimes
			}
			if line > cols-1 || width < 1 {
				t.Errorf("cols %d, total %d: %d columns (desc %q, bar %d, times %v)", cols, total, line, desc, width, withTime)
			}
			if cols < 50 && withTime || cols >= 80 && total < 1e9 && !withTime {
				t.Errorf("cols %d, total %d: times %v", cols, total, withTime)
			}
		}
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands(1234567) = %q", got)
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if desc, _, _ := progressLayout(80, 1234567, 6000000); desc != "1,234,567/6,000,000 rows" {
		t.Errorf("desc %q", desc)
	}
}
