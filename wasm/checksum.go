//go:build js && wasm

package main

import "github.com/ossign/ossign/signer"

// CRC-64 of uploads, for comparison with OSS's x-oss-hash-crc64ecma. The JS package copies a
// chunk of a Blob into the I/O buffer (ossign_reserve, ossign_buffer) and folds it into the
// running CRC; parts' CRCs combine into the object's without reading the bytes again.

// ossignCRC64 returns the CRC-64 of the bytes whose CRC is crc followed by the first n bytes
// of the I/O buffer.
//
//go:wasmexport ossign_crc64
func ossignCRC64(crc uint64, n int32) uint64 { return signer.UpdateCRC64(crc, ioBuf[:n]) }

// ossignCRC64Combine returns the CRC-64 of A followed by B from their CRCs and B's length.
//
//go:wasmexport ossign_crc64_combine
func ossignCRC64Combine(crcA, crcB uint64, lenB int64) uint64 {
	return signer.CombineCRC64(crcA, crcB, lenB)
}
