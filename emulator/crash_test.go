//go:build unix

package emulator_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// crashChildEnv names the data directory and the step ("<dir>|<step>") of a crash child: the
// test binary, run again, plays crashScenario on an emulator and kills itself (SIGKILL) at that
// step of the emulator's writes (0: at none; it then prints how many steps there were).
const crashChildEnv = "OSSIGN_EMULATOR_CRASH_CHILD"

// TestMain runs a crash child instead of the tests when asked to.
func TestMain(m *testing.M) {
	if spec := os.Getenv(crashChildEnv); spec != "" {
		os.Exit(runCrashChild(spec))
	}
	os.Exit(m.Run())
}

// The crash scenario's contents: crash/gone is put then deleted; crash/obj is put (v1), then
// replaced by a multipart upload of three parts (v2) and copied to crash/copy.
var (
	crashGone  = bytes.Repeat([]byte("g"), 700)
	crashV1    = seededBytes(1, 1000)
	crashParts = [][]byte{seededBytes(2, 100<<10+11), seededBytes(3, 100<<10+3), seededBytes(4, 777)}
	crashV2    = bytes.Join(crashParts, nil)
)

// seededBytes returns n reproducible random bytes.
func seededBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(r.Uint32())
	}
	return out
}

// crashScenario writes through the official SDK what TestCrashSafety interrupts.
func crashScenario(client *oss.Client) error {
	ctx := context.Background()
	put := func(key string, body []byte) error {
		_, err := client.PutObject(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), Body: bytes.NewReader(body)})
		return err
	}
	if err := put("crash/gone", crashGone); err != nil {
		return err
	}
	if err := put("crash/obj", crashV1); err != nil {
		return err
	}
	init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("crash/obj")})
	if err != nil {
		return err
	}
	var parts []oss.UploadPart
	for i, data := range crashParts {
		up, err := client.UploadPart(ctx, &oss.UploadPartRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("crash/obj"), UploadId: init.UploadId, PartNumber: int32(i + 1), Body: bytes.NewReader(data)})
		if err != nil {
			return err
		}
		parts = append(parts, oss.UploadPart{PartNumber: int32(i + 1), ETag: up.ETag})
	}
	if _, err := client.CompleteMultipartUpload(ctx, &oss.CompleteMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("crash/obj"),
		UploadId: init.UploadId, CompleteMultipartUpload: &oss.CompleteMultipartUpload{Parts: parts}}); err != nil {
		return err
	}
	if _, err := client.CopyObject(ctx, &oss.CopyObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("crash/copy"), SourceKey: oss.Ptr("crash/obj")}); err != nil {
		return err
	}
	_, err = client.DeleteObject(ctx, &oss.DeleteObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("crash/gone")})
	return err
}

// runCrashChild is the crash child's main.
func runCrashChild(spec string) int {
	dir, step, _ := strings.Cut(spec, "|")
	killAt, _ := strconv.ParseInt(step, 10, 64)
	var steps atomic.Int64
	emulator.SetCrashHook(func(name string) {
		if steps.Add(1) == killAt {
			fmt.Fprint(os.Stderr, name)
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	})
	emu, err := emulator.New(emulator.Config{DataDir: dir, Buckets: []string{testBucket}, RootAccessKeyID: testKeyID, RootAccessKeySecret: testSecret})
	if err == nil {
		var srv *emulator.Server
		if srv, err = emu.Start(context.Background()); err == nil {
			err = crashScenario(sdkClient(srv.OSSEndpoint, endpointClient(srv.OSSEndpoint), osscreds.NewStaticCredentialsProvider(testKeyID, testSecret), false))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		return 1
	}
	fmt.Printf("steps %d\n", steps.Load())
	return 0
}

// runChild runs a crash child on dir killed at step (0: never) and returns its output (when
// killed, the name of the step); killed says whether SIGKILL ended it.
func runChild(t *testing.T, dir string, step int) (out string, killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir+"|"+strconv.Itoa(step))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return stderr.String(), true
		}
	}
	require.NoError(t, err, "crash child: %s", stderr.String())
	return stdout.String(), false
}

// TestCrashSafety kills a process running the emulator (SIGKILL, nothing cleaned up) at each
// step of its writes in turn: PutObject, InitiateMultipartUpload, UploadPart,
// CompleteMultipartUpload, CopyObject and DeleteObject. After every kill, an emulator started
// on the data directory holds each object whole, in a version that was written, or not at all;
// an upload whose object was published is gone, and one that was not can still be completed;
// no file is left that nothing refers to.
func TestCrashSafety(t *testing.T) {
	out, killed := runChild(t, t.TempDir(), 0)
	require.False(t, killed)
	var steps int
	_, err := fmt.Sscanf(out, "steps %d", &steps)
	require.NoError(t, err, "child output: %q", out)
	require.Greater(t, steps, 30, "every write has several steps")

	seen := map[string]bool{}
	for step := 1; step <= steps; step++ {
		dir := t.TempDir()
		name, killed := runChild(t, dir, step)
		require.True(t, killed, "the child was killed at step %d of %d", step, steps)
		state := checkCrashState(t, dir)
		t.Logf("killed at step %2d (%s): %s", step, name, state)
		seen[state] = true
	}
	for _, want := range []string{
		"gone=absent obj=absent copy=absent upload=none",
		"gone=whole obj=v1 copy=absent upload=3 parts",
		"gone=whole obj=v2 copy=absent upload=none",
		"gone=whole obj=v2 copy=v2 upload=none",
		"gone=absent obj=v2 copy=v2 upload=none",
	} {
		assert.True(t, seen[want], "a kill left %q", want)
	}
}

// crashVersion is one content an object may hold after a crash.
type crashVersion struct {
	name       string
	body       []byte
	etag, crc  string
	multipart  bool
	segmentsOn int
}

// checkCrashState starts an emulator on dir, checks the invariants TestCrashSafety names and
// describes what it found.
func checkCrashState(t *testing.T, dir string) string {
	t.Helper()
	e := newEnv(t, func(c *emulator.Config) { c.DataDir, c.Buckets = dir, []string{testBucket} })
	client := e.rootClient()
	v1 := crashVersion{name: "v1", body: crashV1, etag: md5Hex(crashV1), crc: crc64ECMA(crashV1), segmentsOn: 1}
	v2 := crashVersion{name: "v2", body: crashV2, etag: multipartETag(crashParts), crc: crc64ECMA(crashV2), multipart: true, segmentsOn: len(crashParts)}
	gone := crashVersion{name: "whole", body: crashGone, etag: md5Hex(crashGone), crc: crc64ECMA(crashGone), segmentsOn: 1}
	states := map[string]string{}
	blobs := 0
	for key, allowed := range map[string][]crashVersion{"crash/gone": {gone}, "crash/obj": {v1, v2}, "crash/copy": {v2}} {
		name, segments := classify(t, client, key, allowed)
		states[key], blobs = name, blobs+segments
	}
	upload := "none"
	open := e.emu.OpenUploads(testBucket)
	require.LessOrEqual(t, len(open), 1, "one upload at most")
	if len(open) == 1 {
		assert.NotEqual(t, "v2", states["crash/obj"], "the upload v2 was completed from is gone")
		upload = strconv.Itoa(open[0].Parts) + " parts"
	}
	bucketDir := filepath.Join(dir, "buckets", testBucket)
	assert.Len(t, readDir(t, filepath.Join(bucketDir, "blobs")), blobs, "no blob without an object")
	assert.Len(t, readDir(t, filepath.Join(bucketDir, "uploads")), len(open), "no upload folder without an upload")
	assert.Empty(t, readDir(t, filepath.Join(dir, "tmp")), "nothing staged is left")
	if len(open) == 1 && open[0].Parts == len(crashParts) {
		_, err := client.CompleteMultipartUpload(context.Background(), &oss.CompleteMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("crash/obj"),
			UploadId: oss.Ptr(open[0].UploadID), CompleteAll: oss.Ptr("yes")})
		require.NoError(t, err, "an upload interrupted while completing can be completed")
		name, _ := classify(t, client, "crash/obj", []crashVersion{v2})
		assert.Equal(t, "v2", name)
	}
	require.NoError(t, e.srv.Close())
	return fmt.Sprintf("gone=%s obj=%s copy=%s upload=%s", states["crash/gone"], states["crash/obj"], states["crash/copy"], upload)
}

// classify reads key and returns which allowed version it holds ("absent" when there is no
// object), failing the test unless it is one of them, whole: body, size, ETag and CRC-64. It
// returns the number of files the version is kept in.
func classify(t *testing.T, client *oss.Client, key string, allowed []crashVersion) (string, int) {
	t.Helper()
	res, err := client.GetObject(context.Background(), &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	var se *oss.ServiceError
	if errors.As(err, &se) && se.Code == "NoSuchKey" {
		return "absent", 0
	}
	require.NoError(t, err)
	body := readAll(t, res.Body)
	res.Body.Close()
	for _, v := range allowed {
		if bytes.Equal(body, v.body) {
			assert.Equal(t, `"`+v.etag+`"`, oss.ToString(res.ETag), "%s %s: ETag", key, v.name)
			assert.Equal(t, v.crc, oss.ToString(res.HashCRC64), "%s %s: CRC-64", key, v.name)
			assert.Equal(t, int64(len(v.body)), res.ContentLength, "%s %s: size", key, v.name)
			return v.name, v.segmentsOn
		}
	}
	t.Fatalf("%s holds %d bytes that are no version written (a torn object)", key, len(body))
	return "", 0
}

// md5Hex is the upper-case hex MD5 of data: a Normal object's ETag.
func md5Hex(data []byte) string {
	sum := md5.Sum(data)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// multipartETag is the ETag of a multipart object of parts: the MD5 of the parts' MD5s, "-",
// the count.
func multipartETag(parts [][]byte) string {
	h := md5.New()
	for _, p := range parts {
		sum := md5.Sum(p)
		h.Write(sum[:])
	}
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil))) + "-" + strconv.Itoa(len(parts))
}

// readDir lists a directory's entries (none when it does not exist).
func readDir(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if !os.IsNotExist(err) {
		require.NoError(t, err)
	}
	return entries
}
