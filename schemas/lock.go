package schemas

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrBusy is returned when another run holds a dataset name's lock.
var ErrBusy = errors.New("another factforge run is writing this dataset")

// NameLock is the lock of one dataset name in one output folder: the file <out>/.<name>.lock, locked
// with flock(2). The kernel lets the lock go when the process ends, however it ends, so a run killed
// with SIGKILL never leaves a name locked; the file itself is removed on Release.
type NameLock struct {
	path string
	f    *os.File
}

// LockName takes the lock of dataset name in out without waiting: ErrBusy if another run holds it.
func LockName(out, name string) (*NameLock, error) {
	path := filepath.Join(out, "."+name+".lock")
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
		if err != nil {
			return nil, fmt.Errorf("cannot lock %s: %w", filepath.Join(out, name), err)
		}
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() { // a FIFO or device put there
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %s is not a regular file", filepath.Join(out, name), path)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("%w: %s (its lock %s is held; wait for that run, or stop it)", ErrBusy, filepath.Join(out, name), path)
			}
			return nil, fmt.Errorf("cannot lock %s: %w", filepath.Join(out, name), err)
		}
		// A run that released the lock removed the file after we opened it: ours is then a lock on
		// a file no other run will open. Take the lock again, on the file at the path.
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return &NameLock{path: path, f: f}, nil
		}
		f.Close()
	}
}

// Release removes the lock file and lets the lock go. It is safe to call on a nil lock.
func (l *NameLock) Release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path) // while still held: a run waiting on the old file retries on a new one
	l.f.Close()
	l.f = nil
}
