package tensor

import (
	"encoding/binary"
	"fmt"
)

// HeaderSize is the size of the kernel's tensor header; data follows it.
const HeaderSize = 128

// Header is the kernel's 128-byte tensor header (dataflow.md §6.1).
// Unused dimensions are 0, so the rank is the number of leading non-zero
// dims; strides count elements, row-major.
type Header struct {
	Version    uint32
	DType      uint32 // 0 = float32, the only type in use
	Dims       [MaxRank]uint64
	Strides    [MaxRank]uint64
	DataOffset uint64
	SchemaID   uint32
	Records    uint32
	Quality    uint16
	Lineage    uint64
}

// HeaderVersion is the only header version.
const HeaderVersion = 1

// Header returns the header describing t (schema, quality and lineage 0;
// records 1). Dataflow items fill in their own metadata.
func (t *Tensor) Header() Header {
	h := Header{Version: HeaderVersion, DataOffset: HeaderSize, Records: 1}
	stride := uint64(1)
	for i := t.rank - 1; i >= 0; i-- {
		h.Dims[i] = uint64(t.shape[i])
		h.Strides[i] = stride
		stride *= uint64(t.shape[i])
	}
	return h
}

// AppendBinary appends the 128-byte little-endian encoding of h.
func (h Header) AppendBinary(b []byte) ([]byte, error) {
	var buf [HeaderSize]byte
	binary.LittleEndian.PutUint32(buf[0:], h.Version)
	binary.LittleEndian.PutUint32(buf[4:], h.DType)
	for i := range MaxRank {
		binary.LittleEndian.PutUint64(buf[8+8*i:], h.Dims[i])
		binary.LittleEndian.PutUint64(buf[40+8*i:], h.Strides[i])
	}
	binary.LittleEndian.PutUint64(buf[72:], h.DataOffset)
	binary.LittleEndian.PutUint32(buf[80:], h.SchemaID)
	binary.LittleEndian.PutUint32(buf[84:], h.Records)
	binary.LittleEndian.PutUint16(buf[88:], h.Quality)
	binary.LittleEndian.PutUint64(buf[96:], h.Lineage)
	return append(b, buf[:]...), nil
}

// MarshalBinary returns the 128-byte encoding of h.
func (h Header) MarshalBinary() ([]byte, error) { return h.AppendBinary(make([]byte, 0, HeaderSize)) }

// ParseHeader decodes a 128-byte header (longer input: the rest is ignored).
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderSize {
		return h, fmt.Errorf("%w: header needs %d bytes, got %d", ErrShape, HeaderSize, len(b))
	}
	h.Version = binary.LittleEndian.Uint32(b[0:])
	h.DType = binary.LittleEndian.Uint32(b[4:])
	for i := range MaxRank {
		h.Dims[i] = binary.LittleEndian.Uint64(b[8+8*i:])
		h.Strides[i] = binary.LittleEndian.Uint64(b[40+8*i:])
	}
	h.DataOffset = binary.LittleEndian.Uint64(b[72:])
	h.SchemaID = binary.LittleEndian.Uint32(b[80:])
	h.Records = binary.LittleEndian.Uint32(b[84:])
	h.Quality = binary.LittleEndian.Uint16(b[88:])
	h.Lineage = binary.LittleEndian.Uint64(b[96:])
	return h, nil
}

// Shape returns the dimensions h describes, checking that it is a
// version-1 float32 header of a row-major contiguous tensor.
func (h Header) Shape() ([]int, error) {
	if h.Version != HeaderVersion || h.DType != 0 || h.DataOffset != HeaderSize {
		return nil, fmt.Errorf("%w: header version %d dtype %d data_offset %d", ErrShape, h.Version, h.DType, h.DataOffset)
	}
	rank := 0
	for rank < MaxRank && h.Dims[rank] != 0 {
		rank++
	}
	shape := make([]int, rank)
	stride := uint64(1)
	for i := MaxRank - 1; i >= 0; i-- {
		if i >= rank {
			if h.Dims[i] != 0 || h.Strides[i] != 0 {
				return nil, fmt.Errorf("%w: dims after rank %d must be 0", ErrShape, rank)
			}
			continue
		}
		if h.Strides[i] != stride || h.Dims[i] > 1<<31 {
			return nil, fmt.Errorf("%w: dim %d stride %d (want %d)", ErrShape, i, h.Strides[i], stride)
		}
		shape[i] = int(h.Dims[i])
		stride *= h.Dims[i]
		if stride > 1<<31 {
			return nil, fmt.Errorf("%w: too many elements", ErrShape)
		}
	}
	return shape, nil
}

// FromHeader rebuilds a tensor from a header and its data (taken over, not
// copied); the data length must match the header's shape.
func FromHeader(h Header, data []float32) (*Tensor, error) {
	shape, err := h.Shape()
	if err != nil {
		return nil, err
	}
	return New(shape, data)
}
