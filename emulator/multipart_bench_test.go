//go:build unix

package emulator_test

import (
	"context"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/require"
)

// BenchmarkCompleteMultipartUpload times CompleteMultipartUpload alone, through the official
// SDK over loopback: 64 MiB in 8 and in 64 parts, and 8 MiB in 8 parts, which shows the cost
// follows the number of parts, not the bytes. The parts are uploaded with the timer stopped,
// and the disk is left to settle (sync) before the call, as it has when a client completes
// some milliseconds after its last part (the emulator flushes each part in the background once
// it is stored): what is timed is the completion's own work, not other writes' flushes.
// ./build.sh bench runs it with -benchtime 5x.
func BenchmarkCompleteMultipartUpload(b *testing.B) {
	e := newEnv(b)
	client := e.rootClient()
	ctx := context.Background()
	for _, c := range []struct{ parts, partSize int }{{8, 8 << 20}, {64, 1 << 20}, {8, 1 << 20}} {
		b.Run("parts="+strconv.Itoa(c.parts)+"/MiB="+strconv.Itoa(c.parts*c.partSize>>20), func(b *testing.B) {
			part := randomBytes(c.partSize, 1)
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				key := "bench/" + b.Name() + "/" + strconv.Itoa(i)
				id, _ := startUpload(b, client, key, slices.Repeat([][]byte{part}, c.parts)...)
				syscall.Sync()
				b.StartTimer()
				_, err := client.CompleteMultipartUpload(ctx, &oss.CompleteMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key),
					UploadId: id, CompleteAll: oss.Ptr("yes")})
				require.NoError(b, err)
			}
		})
	}
}
