package schemas

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// zstdWindow is the compression window of Parquet pages. parquet-go's own codec keeps zstd's default
// of 8 MiB, for which every encoder holds 16 MiB of history, one encoder per goroutine compressing at
// once; pages are about 256 KiB (parquet-go's page buffer), so a 1 MiB window finds the same matches
// with an eighth of the memory.
const zstdWindow = 1 << 20

// pageCodec is zstd at parquet-go's default level with a window sized for pages.
type pageCodec struct{ encoders sync.Pool }

var zstdPages = &pageCodec{}

func (*pageCodec) String() string                            { return "ZSTD" }
func (*pageCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Decode is parquet-go's: a window only bounds the encoder.
func (*pageCodec) Decode(dst, src []byte) ([]byte, error) { return parquet.Zstd.Decode(dst, src) }

func (c *pageCodec) Encode(dst, src []byte) ([]byte, error) {
	e, _ := c.encoders.Get().(*zstd.Encoder)
	if e == nil {
		var err error
		e, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false), zstd.WithWindowSize(zstdWindow))
		if err != nil {
			return nil, err
		}
	}
	defer c.encoders.Put(e)
	return e.EncodeAll(src, dst[:0]), nil
}
