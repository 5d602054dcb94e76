package runtimetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	bucket         = "runtimes"
	putBytes       = 5 << 20
	multipartBytes = 20 << 20
	seededCases    = 500 // cases.mjs CASES, per signature version
)

// conformanceResult is what testdata/conformance.mjs prints.
type conformanceResult struct {
	// Signatures maps a case id to its output, compared as the bytes the runtime wrote.
	Signatures map[string]json.RawMessage `json:"signatures"`
	Transfers  *struct {
		Put       transferResult  `json:"put"`
		Get       transferResult  `json:"get"`
		Stream    transferResult  `json:"stream"`
		Multipart *transferResult `json:"multipart"`
	} `json:"transfers"`
	// Resolved is the file `ossign` resolved to in the runtime.
	Resolved string `json:"resolved"`
}

type transferResult struct {
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	ETag     string `json:"etag"`
	CRC64    string `json:"crc64"`
	Parts    int    `json:"parts"`
	Progress *struct {
		Events    int   `json:"events"`
		Last      int64 `json:"last"`
		Total     int64 `json:"total"`
		Monotonic bool  `json:"monotonic"`
	} `json:"progress"`
}

// transferConfig is the env of conformance.mjs: the emulator, with its long-term root
// AccessKey (the server recipe), and a prefix of the runtime's own.
type transferConfig struct {
	Endpoint        string `json:"endpoint"`
	Region          string `json:"region"`
	Bucket          string `json:"bucket"`
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
	Prefix          string `json:"prefix"`
	PutBytes        int    `json:"putBytes"`
	MultipartBytes  int    `json:"multipartBytes,omitempty"`
}

// emulatorEnv is a started emulator with one bucket.
type emulatorEnv struct {
	emu *emulator.Emulator
	srv *emulator.Server
}

func startEmulator(t testing.TB) emulatorEnv {
	t.Helper()
	emu, err := emulator.New(emulator.Config{DataDir: t.TempDir(), Buckets: []string{bucket}})
	require.NoError(t, err)
	srv, err := emu.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return emulatorEnv{emu: emu, srv: srv}
}

func (e emulatorEnv) config(runtime string, multipart bool) transferConfig {
	c := transferConfig{
		Endpoint: e.srv.OSSEndpoint, Region: e.emu.Region(), Bucket: bucket,
		AccessKeyID: e.emu.RootAccessKeyID(), AccessKeySecret: e.emu.RootAccessKeySecret(),
		Prefix: "runtimes/" + runtime + "/", PutBytes: putBytes,
	}
	if multipart {
		c.MultipartBytes = multipartBytes
	}
	return c
}

// objectSHA256 downloads an object through a URL the Go signer signed, independently of the JS
// package, and returns its size and SHA-256.
func (e emulatorEnv) objectSHA256(t testing.TB, key string) (int, string) {
	t.Helper()
	p, err := signer.Presign(signer.Target{Region: e.emu.Region(), Endpoint: e.srv.OSSEndpoint},
		signer.Credentials{AccessKeyID: e.emu.RootAccessKeyID(), AccessKeySecret: e.emu.RootAccessKeySecret()},
		signer.Request{Method: "GET", Bucket: bucket, Key: key, Expires: time.Minute}, time.Now())
	require.NoError(t, err)
	resp, err := http.Get(p.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s: %s", key, body)
	sum := sha256.Sum256(body)
	return len(body), hex.EncodeToString(sum[:])
}

// specOutputs are the spec's vectors (shared/spec/oss-signing.md §6) as the runtimes must sign
// them: a case id, a field of its output and the value.
var specOutputs = []struct{ id, path, want string }{
	{"V4-Q1", "signature", "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"},
	{"V4-Q2", "signature", "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5"},
	{"V4-Q3", "signature", "6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7"},
	{"V1-Q2", "url", "http://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123?Expires=1699808204&OSSAccessKeyId=ak&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&security-token=token&versionId=versionId"},
	{"V4-H1", "Authorization", "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"},
}

// checkSignatures checks a runtime's vectors and the number of seeded outputs.
func checkSignatures(t *testing.T, r conformanceResult) {
	t.Helper()
	assert.Len(t, r.Signatures, len(specOutputs)+3*seededCases, "vectors, then V1 and V4 URLs and V4 headers of each seeded case")
	for _, s := range specOutputs {
		var out struct {
			Signature, URL string
			Headers        map[string]string
		}
		require.NoError(t, json.Unmarshal(r.Signatures[s.id], &out), s.id)
		got := map[string]string{"signature": out.Signature, "url": out.URL, "Authorization": out.Headers["Authorization"]}[s.path]
		assert.Equal(t, s.want, got, "%s %s", s.id, s.path)
	}
}

// checkTransfers checks what the runtime says it sent and received against the emulator's copy.
func checkTransfers(t *testing.T, env emulatorEnv, cfg transferConfig, r conformanceResult) {
	t.Helper()
	x := r.Transfers
	require.NotNil(t, x, "transfers ran")
	assert.Equal(t, int64(putBytes), x.Put.Size)
	assert.NotEmpty(t, x.Put.ETag)
	assert.NotEmpty(t, x.Put.CRC64, "the CRC-64 OSS reported (checked against the body's)")
	size, sum := env.objectSHA256(t, cfg.Prefix+"put.bin")
	assert.Equal(t, putBytes, size)
	assert.Equal(t, x.Put.SHA256, sum, "the emulator holds the bytes put sent")
	assert.Equal(t, x.Put.SHA256, x.Get.SHA256, "get received the bytes put sent")
	assert.Equal(t, int64(putBytes), x.Get.Size)
	for name, p := range map[string]transferResult{"put": x.Put, "get": x.Get} {
		require.NotNil(t, p.Progress, name)
		assert.Positive(t, p.Progress.Events, "%s reported progress", name)
		assert.Equal(t, int64(putBytes), p.Progress.Last, "%s progress ends at the size", name)
		assert.Equal(t, int64(putBytes), p.Progress.Total, name)
		assert.True(t, p.Progress.Monotonic, "%s progress only goes up", name)
	}
	size, sum = env.objectSHA256(t, cfg.Prefix+"stream.bin")
	assert.Equal(t, int(x.Stream.Size), size, "a ReadableStream body")
	assert.Equal(t, x.Stream.SHA256, sum)
	if cfg.MultipartBytes == 0 {
		assert.Nil(t, x.Multipart)
		return
	}
	require.NotNil(t, x.Multipart, "multipart ran")
	assert.Equal(t, int64(multipartBytes), x.Multipart.Size)
	assert.Equal(t, 3, x.Multipart.Parts, "8 MiB parts")
	size, sum = env.objectSHA256(t, cfg.Prefix+"multipart.bin")
	assert.Equal(t, multipartBytes, size)
	assert.Equal(t, x.Multipart.SHA256, sum, "the emulator holds the bytes multipartUpload sent")
	require.NotNil(t, x.Multipart.Progress)
	assert.Equal(t, int64(multipartBytes), x.Multipart.Progress.Last)
	assert.True(t, x.Multipart.Progress.Monotonic)
	assert.Empty(t, env.emu.OpenUploads(bucket), "no upload left open")
}

// TestRuntimes runs testdata/conformance.mjs in Node (ESM and CommonJS), Deno, Bun and workerd,
// each importing the package by name: every runtime signs the spec's vectors right and the
// seeded cases byte for byte as the others, and puts and gets 5 MiB through the emulator (Deno
// and Bun also upload 20 MiB in parts), as the emulator's copy of the objects confirms.
func TestRuntimes(t *testing.T) {
	env := startEmulator(t)
	entries := map[string]string{ // runtime → the file its exports condition must pick
		"node-esm": "ossign.node.mjs", "node-cjs": "ossign.cjs", "deno": "ossign.mjs", "bun": "ossign.node.mjs", "workerd": "workerd",
	}
	results := map[string]conformanceResult{}
	for _, rt := range scriptRuntimes {
		t.Run(rt.name, func(t *testing.T) {
			cfg := env.config(rt.name, rt.multipart)
			var r conformanceResult
			require.NoError(t, json.Unmarshal(runScript(t, rt, rt.script, cfg), &r))
			assert.Equal(t, entries[rt.name], filepath.Base(r.Resolved), "the file `ossign` resolved to")
			checkSignatures(t, r)
			checkTransfers(t, env, cfg, r)
			results[rt.name] = r
		})
	}
	t.Run("workerd", func(t *testing.T) {
		config := workerdConfig("worker.mjs", [][2]string{
			{"conformance.mjs", "conformance.mjs"}, {"cases.mjs", "cases.mjs"}, {"ossign", "node_modules/ossign/" + workerdEntry(t)},
		}, [2]string{"ossign.wasm", "node_modules/ossign/ossign.wasm"}, true)
		require.NoError(t, os.WriteFile(filepath.Join(project, "conformance.capnp"), []byte(config), 0o644))
		base := startWorkerd(t, project, "conformance.capnp")
		cfg := env.config("workerd", false)
		raw, err := json.Marshal(cfg)
		require.NoError(t, err)
		resp, err := workerdClient.Post(base+"/", "application/json", bytes.NewReader(raw))
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		var r conformanceResult
		require.NoError(t, json.Unmarshal(body, &r))
		checkSignatures(t, r)
		checkTransfers(t, env, cfg, r)
		results["workerd"] = r
	})
	t.Run("byte-identical across runtimes", func(t *testing.T) {
		ref, ok := results["node-esm"]
		require.True(t, ok, "Node's run is the reference")
		for _, name := range []string{"node-cjs", "deno", "bun", "workerd"} {
			r, ok := results[name]
			if !assert.True(t, ok, "%s ran", name) {
				continue
			}
			var differ []string
			for id, out := range ref.Signatures {
				if !bytes.Equal(out, r.Signatures[id]) {
					differ = append(differ, id)
				}
			}
			slices.Sort(differ)
			assert.Empty(t, differ, "%s signs these cases differently from Node", name)
			if len(differ) > 0 {
				t.Logf("%s, first difference %s:\n node: %s\n %s: %s", name, differ[0], ref.Signatures[differ[0]], name, r.Signatures[differ[0]])
			}
		}
	})
}
