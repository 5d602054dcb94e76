package emulator_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// version is the body writer i stores: "v<i>:" then a filler of writer i's own byte, of a
// length that differs per writer, so that any mix of two versions is detectable.
func version(i int) []byte {
	head := []byte(fmt.Sprintf("v%d:", i))
	return append(head, bytes.Repeat([]byte{byte('A' + i%26)}, 64<<10+i*997)...)
}

// checkVersion reports whether body is exactly one writer's version, and whose.
func checkVersion(body []byte) (int, error) {
	head, _, ok := bytes.Cut(body, []byte(":"))
	if !ok || len(head) < 2 {
		return 0, errors.New("no version header")
	}
	i, err := strconv.Atoi(string(head[1:]))
	if err != nil || !bytes.Equal(body, version(i)) {
		return 0, fmt.Errorf("torn or mixed body (%d bytes, header %q)", len(body), head)
	}
	return i, nil
}

// TestConcurrentWriters runs 64 writers on one key and 64 on distinct keys, with readers of
// the shared key alongside: every read returns one complete version whose ETag and CRC-64
// are that version's, and every distinct key ends up with its writer's bytes. Run with -race.
func TestConcurrentWriters(t *testing.T) {
	const writers, readers, readsEach = 64, 8, 16
	e := newEnv(t)
	client := e.rootClient()
	ctx := context.Background()
	get := func(key string) ([]byte, *oss.GetObjectResult, error) {
		res, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
		if err != nil {
			return nil, nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return body, res, err
	}

	var wg sync.WaitGroup
	errs := make(chan error, 2*writers+readers*readsEach)
	for i := range writers {
		for _, key := range []string{"same", "distinct/" + strconv.Itoa(i)} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := client.PutObject(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), Body: bytes.NewReader(version(i))})
				if err != nil {
					errs <- fmt.Errorf("put %s by writer %d: %w", key, i, err)
				}
			}()
		}
	}
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range readsEach {
				body, res, err := get("same")
				var se *oss.ServiceError
				if errors.As(err, &se) && se.Code == "NoSuchKey" {
					continue // no writer has finished yet
				}
				if err != nil {
					errs <- fmt.Errorf("read: %w", err)
					continue
				}
				if _, err := checkVersion(body); err != nil {
					errs <- err
					continue
				}
				sum := md5.Sum(body)
				if want := `"` + strings.ToUpper(hex.EncodeToString(sum[:])) + `"`; oss.ToString(res.ETag) != want {
					errs <- fmt.Errorf("ETag %s belongs to another version than the body (%s)", oss.ToString(res.ETag), want)
				}
				if oss.ToString(res.HashCRC64) != crc64ECMA(body) {
					errs <- errors.New("x-oss-hash-crc64ecma belongs to another version than the body")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}

	body, _, err := get("same")
	require.NoError(t, err)
	_, err = checkVersion(body)
	assert.NoError(t, err, "the last write wins whole")
	for i := range writers {
		body, _, err := get("distinct/" + strconv.Itoa(i))
		require.NoError(t, err)
		assert.Equal(t, version(i), body, "distinct/%d", i)
	}
}
