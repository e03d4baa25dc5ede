package schemas

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// A Parquet file's footer is Thrift, whose lists and strings carry their own lengths: a 36-byte file
// that says a list has two billion elements makes the decoder allocate them. A user's Parquet file is
// therefore checked before parquet-go opens it: the magic at both ends, a footer of at most
// maxFooterBytes, and every length in the footer within the bytes that follow it, with at most
// maxFooterElements list elements in all.

const (
	maxFooterBytes    = 16 << 20
	maxFooterElements = 1 << 18
	maxFooterDepth    = 32
)

// OpenParquetInput opens a user's Parquet file, of size bytes, after checking its footer; page indexes
// and bloom filters, which reading rows does not need, are not read.
func OpenParquetInput(r io.ReaderAt, size int64) (*parquet.File, error) {
	if err := checkParquetFooter(r, size); err != nil {
		return nil, fmt.Errorf("not a Parquet file: %w", err)
	}
	return parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
}

func checkParquetFooter(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes are too few", size)
	}
	var head, tail [8]byte
	if _, err := r.ReadAt(head[:4], 0); err != nil {
		return err
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(head[:4]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return errors.New("no PAR1 magic at its start and end")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 {
		return fmt.Errorf("its footer of %d bytes is longer than the file", n)
	}
	if n > maxFooterBytes {
		return fmt.Errorf("its footer of %d bytes is over %s", n, Bytes(maxFooterBytes))
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return err
	}
	s := &thriftSkipper{r: bytes.NewReader(footer), budget: maxFooterElements}
	if err := s.skipStruct(0); err != nil {
		return fmt.Errorf("its footer is not valid metadata: %w", err)
	}
	return nil
}

// thriftSkipper reads Thrift compact protocol without keeping anything, checking every length.
type thriftSkipper struct {
	r      *bytes.Reader
	budget int // list, set and map elements left
}

var errThrift = errors.New("a length runs past its end")

func (s *thriftSkipper) varint() (uint64, error) {
	v, err := binary.ReadUvarint(s.r)
	if err != nil {
		return 0, errThrift
	}
	return v, nil
}

// length reads a length and checks that the bytes left can hold it at min bytes an element.
func (s *thriftSkipper) length(n uint64, min int) (int, error) {
	if n > uint64(s.r.Len()/min) {
		return 0, errThrift
	}
	return int(n), nil
}

func (s *thriftSkipper) skipStruct(depth int) error {
	if depth > maxFooterDepth {
		return errors.New("nested too deep")
	}
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return errThrift
		}
		if b == 0 {
			return nil
		}
		if b>>4 == 0 { // the field id follows as a varint
			if _, err := s.varint(); err != nil {
				return err
			}
		}
		if err := s.skip(b&0x0f, depth); err != nil {
			return err
		}
	}
}

// skip skips one value of compact type t.
func (s *thriftSkipper) skip(t byte, depth int) error {
	switch t {
	case 1, 2: // booleans, in the field header
		return nil
	case 3: // byte
		_, err := s.r.ReadByte()
		if err != nil {
			return errThrift
		}
		return nil
	case 4, 5, 6: // varints
		_, err := s.varint()
		return err
	case 7: // double
		if s.r.Len() < 8 {
			return errThrift
		}
		s.r.Seek(8, io.SeekCurrent)
		return nil
	case 8: // binary
		v, err := s.varint()
		if err != nil {
			return err
		}
		n, err := s.length(v, 1)
		if err != nil {
			return err
		}
		s.r.Seek(int64(n), io.SeekCurrent)
		return nil
	case 9, 10: // list, set
		b, err := s.r.ReadByte()
		if err != nil {
			return errThrift
		}
		size := uint64(b >> 4)
		if size == 15 {
			if size, err = s.varint(); err != nil {
				return err
			}
		}
		return s.elements(size, []byte{b & 0x0f}, depth)
	case 11: // map
		size, err := s.varint()
		if err != nil || size == 0 {
			return err
		}
		b, err := s.r.ReadByte()
		if err != nil {
			return errThrift
		}
		return s.elements(size, []byte{b >> 4, b & 0x0f}, depth)
	case 12:
		return s.skipStruct(depth + 1)
	}
	return fmt.Errorf("unknown type %d", t)
}

// elements skips size elements, each made of values of the types kinds (one for a list, two for a map).
func (s *thriftSkipper) elements(size uint64, kinds []byte, depth int) error {
	n, err := s.length(size, len(kinds))
	if err != nil {
		return err
	}
	if s.budget -= n; s.budget < 0 {
		return fmt.Errorf("more than %d list elements", maxFooterElements)
	}
	for range n {
		for _, k := range kinds {
			if k == 1 || k == 2 { // a boolean element takes a byte of its own
				if _, err := s.r.ReadByte(); err != nil {
					return errThrift
				}
				continue
			}
			if err := s.skip(k, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
