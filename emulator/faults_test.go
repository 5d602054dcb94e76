package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestFaultFail checks FailFraction 1 fails every request with OSS's 503, and that faults
// switch off at run time.
func TestFaultFail(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{FailFraction: 1} })
	resp := e.rootRequest("PUT", testBucket, "k", "", nil, []byte("x"))
	require.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Equal(t, "ServiceUnavailable", parseError(t, resp.body).Code)
	assert.Equal(t, int64(1), e.emu.Stats().InjectedFailures)

	require.NoError(t, e.emu.SetFaults(emulator.FaultConfig{}))
	assert.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, "k", "", nil, []byte("x")).status)
}

// TestFaultFailCarriesCORS checks an injected 503 carries the CORS headers of the request's
// allowed Origin, as OSS's own errors do, so that a page reads a 503 and not a network error.
func TestFaultFailCarriesCORS(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) {
		c.CORS = emulator.CORSRule{AllowedOrigins: []string{"http://page.example"}}
		c.Faults = emulator.FaultConfig{FailFraction: 1}
	})
	resp := e.rootRequest("PUT", testBucket, "k", "", map[string]string{"Origin": "http://page.example"}, []byte("x"))
	require.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Equal(t, "http://page.example", resp.header.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, resp.header.Get("Access-Control-Expose-Headers"), "x-oss-request-id")
	assert.NotEmpty(t, resp.header.Get("x-oss-request-id"))
}

// TestFaultSequenceIsSeeded checks a seed gives the same faults to the same sequence of
// requests, and that a fraction fails some requests but not all.
func TestFaultSequenceIsSeeded(t *testing.T) {
	e := newEnv(t)
	run := func() []int {
		require.NoError(t, e.emu.SetFaults(emulator.FaultConfig{FailFraction: 0.5, Seed: 42}))
		var statuses []int
		for range 20 {
			statuses = append(statuses, e.rootRequest("HEAD", testBucket, "absent", "", nil, nil).status)
		}
		return statuses
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, http.StatusServiceUnavailable)
	assert.Contains(t, first, http.StatusNotFound)
}

// TestFaultDrop checks DropFraction 1 cuts an upload mid-body (nothing is stored) and a
// download mid-body (the client gets part of the declared length).
func TestFaultDrop(t *testing.T) {
	e := newEnv(t)
	data := bytes.Repeat([]byte("d"), 256<<10)
	require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, "download", "", nil, data).status)
	require.NoError(t, e.emu.SetFaults(emulator.FaultConfig{DropFraction: 1}))

	t.Run("upload", func(t *testing.T) {
		req := e.newRequest("PUT", e.objectURL(testBucket, "upload"), data)
		signHeader(t, req, testBucket, "upload", rootCreds, time.Now(), false)
		resp, err := e.http.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		require.Error(t, err, "the connection is closed while the body is sent")
	})

	t.Run("download", func(t *testing.T) {
		req := e.newRequest("GET", e.objectURL(testBucket, "download"), nil)
		signHeader(t, req, testBucket, "download", rootCreds, time.Now(), false)
		resp, err := e.http.Do(req)
		require.NoError(t, err, "the head of the response arrives")
		defer resp.Body.Close()
		assert.Equal(t, strconv.Itoa(len(data)), resp.Header.Get("Content-Length"))
		got, err := io.ReadAll(resp.Body)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, len(data)/2, len(got))
	})

	require.NoError(t, e.emu.SetFaults(emulator.FaultConfig{}))
	assert.False(t, e.exists("upload"), "no part of a dropped upload is visible")
	// The handler counts a drop as it returns, which may be just after the client saw it.
	assert.Eventually(t, func() bool { return e.emu.Stats().InjectedDrops >= 2 }, 5*time.Second, 10*time.Millisecond)
}

// TestFaultLatency checks Latency delays a request by at least that much.
func TestFaultLatency(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{Latency: 150 * time.Millisecond} })
	start := time.Now()
	e.rootRequest("HEAD", testBucket, "absent", "", nil, nil)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
}

// TestFaultClockShift checks a shifted server clock: a request signed now is too skewed, the
// Date header shows the server's time, and the official SDK corrects its clock from that
// Date header and succeeds on its retry.
func TestFaultClockShift(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{ClockShift: time.Hour} })
	resp := e.rootRequest("PUT", testBucket, "k", "", nil, []byte("x"))
	require.Equal(t, http.StatusForbidden, resp.status)
	assert.Equal(t, "RequestTimeTooSkewed", parseError(t, resp.body).Code)
	serverTime, err := http.ParseTime(resp.header.Get("Date"))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(time.Hour), serverTime, time.Minute)

	client := oss.NewClient(oss.LoadDefaultConfig().
		WithCredentialsProvider(osscreds.NewStaticCredentialsProvider(testKeyID, testSecret)).
		WithEndpoint(e.srv.OSSEndpoint).WithRegion(testRegion).WithHttpClient(e.http).WithRetryMaxAttempts(2))
	_, err = client.PutObject(context.Background(), &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("k"), Body: bytes.NewReader([]byte("x"))})
	assert.NoError(t, err)
}

// TestFaultCorrupt checks CorruptFraction 1 flips one byte of an upload as it is received: the
// stored object, its ETag and its CRC-64 are those of the corrupted bytes, so a client
// comparing CRCs notices; a request without a body is served normally.
func TestFaultCorrupt(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{CorruptFraction: 1} })
	data := bytes.Repeat([]byte("abcd"), 1000)
	put := e.rootRequest("PUT", testBucket, "corrupt", "", nil, data)
	require.Equal(t, http.StatusOK, put.status)
	assert.NotEqual(t, crc64ECMA(data), put.header.Get("x-oss-hash-crc64ecma"), "the CRC is of the corrupted bytes")

	get := e.rootRequest("GET", testBucket, "corrupt", "", nil, nil)
	require.Equal(t, http.StatusOK, get.status, "a request without a body is not corrupted")
	require.Len(t, get.body, len(data))
	diff := 0
	for i := range data {
		if data[i] != get.body[i] {
			diff++
			assert.Equal(t, len(data)/2, i, "the middle byte is flipped")
			assert.Equal(t, data[i]^1, get.body[i])
		}
	}
	assert.Equal(t, 1, diff, "exactly one byte differs")
	assert.Equal(t, crc64ECMA(get.body), put.header.Get("x-oss-hash-crc64ecma"))
	assert.Equal(t, int64(1), e.emu.Stats().InjectedCorruptions)
}

// TestFaultClockShiftSparesSTS checks a shifted OSS clock leaves STS on the true time: a client
// whose clock is wrong still gets credentials, with their true expiry.
func TestFaultClockShiftSparesSTS(t *testing.T) {
	clock := &testClock{}
	clock.Set(time.Now())
	e := newEnv(t, withClock(clock), func(c *emulator.Config) { c.Faults = emulator.FaultConfig{ClockShift: -20 * time.Minute} })
	trustEmulatorCA(t, e.emu)
	c, err := e.stsProvider("shifted", "", 900).GetCredentials()
	require.NoError(t, err, "STS is not skewed against the caller's true clock")
	require.NotEmpty(t, c.SecurityToken)

	resp := e.rootRequest("HEAD", testBucket, "absent", "", nil, nil)
	require.Equal(t, http.StatusForbidden, resp.status, "OSS sees the request 20 minutes in its future")
	serverTime, err := http.ParseTime(resp.header.Get("Date"))
	require.NoError(t, err)
	assert.WithinDuration(t, clock.Now().Add(-20*time.Minute), serverTime, time.Second)
}

// TestFaultConfigValidation checks impossible fault settings are refused.
func TestFaultConfigValidation(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name string
		f    emulator.FaultConfig
	}{
		{"fraction above 1", emulator.FaultConfig{FailFraction: 1.5}},
		{"negative fraction", emulator.FaultConfig{DropFraction: -0.1}},
		{"fractions summing above 1", emulator.FaultConfig{FailFraction: 0.6, DropFraction: 0.6}},
		{"corruption pushing the sum above 1", emulator.FaultConfig{FailFraction: 0.5, CorruptFraction: 0.6}},
		{"negative corruption", emulator.FaultConfig{CorruptFraction: -1}},
		{"negative latency", emulator.FaultConfig{Latency: -time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Error(t, e.emu.SetFaults(tc.f))
			assert.Equal(t, emulator.FaultConfig{}, e.emu.Faults(), "a refused setting changes nothing")
		})
	}
}
