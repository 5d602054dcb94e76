package runtimetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	edgeIssuer   = "https://id.example.test"
	edgeAudience = "ossign-edge"
)

// jwtSigner mints compact JWTs for the edge recipe's tests.
type jwtSigner struct {
	alg  string
	sign func(signingInput []byte) []byte
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func hs256(secret []byte) jwtSigner {
	return jwtSigner{alg: "HS256", sign: func(in []byte) []byte {
		mac := hmac.New(sha256.New, secret)
		mac.Write(in)
		return mac.Sum(nil)
	}}
}

func es256(key *ecdsa.PrivateKey) jwtSigner {
	return jwtSigner{alg: "ES256", sign: func(in []byte) []byte {
		digest := sha256.Sum256(in)
		r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
		if err != nil {
			panic(err)
		}
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}}
}

// token is a JWT with the header alg and the claims given (a nil claim is left out).
func (s jwtSigner) token(alg string, claims map[string]any) string {
	header, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	for k, v := range claims {
		if v == nil {
			delete(claims, k)
		}
	}
	payload, _ := json.Marshal(claims)
	in := b64(header) + "." + b64(payload)
	return in + "." + b64(s.sign([]byte(in)))
}

// claims are valid claims for user, changed by the overrides.
func claims(user string, overrides map[string]any) map[string]any {
	now := time.Now().Unix()
	c := map[string]any{"sub": user, "iss": edgeIssuer, "aud": edgeAudience, "iat": now, "exp": now + 600}
	for k, v := range overrides {
		c[k] = v
	}
	return c
}

// edgeWorker serves examples/edge-worker with workerd, its config.capnp as written (its
// embeds reach ../../dist, laid out here from the built package), with the emulator's root
// AccessKey and the JWT settings in the environment, and returns its base URL.
func edgeWorker(t *testing.T, env emulatorEnv, jwtEnv ...string) string {
	t.Helper()
	root := t.TempDir()
	example := filepath.Join(root, "examples", "edge-worker")
	require.NoError(t, os.CopyFS(example, os.DirFS(filepath.Join(repoRoot, "examples", "edge-worker"))))
	require.NoError(t, os.Symlink(distDir, filepath.Join(root, "dist")))
	return startWorkerd(t, example, "config.capnp", append([]string{
		"OSS_ACCESS_KEY_ID=" + env.emu.RootAccessKeyID(), "OSS_ACCESS_KEY_SECRET=" + env.emu.RootAccessKeySecret(),
		"OSS_BUCKET=" + bucket, "OSS_REGION=" + env.emu.Region(), "OSS_ENDPOINT=" + env.srv.OSSEndpoint,
		"JWT_ISSUER=" + edgeIssuer, "JWT_AUDIENCE=" + edgeAudience,
	}, jwtEnv...)...)
}

// signAnswer is the edge worker's answer.
type signAnswer struct {
	Key, URL, Method, ExpiresAt string
	Headers                     map[string]string
	Code, Message               string
}

func askSign(t *testing.T, base, token string, query url.Values) (int, signAnswer) {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/sign?"+query.Encode(), nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := workerdClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var a signAnswer
	require.NoError(t, json.Unmarshal(body, &a), "%d %s", resp.StatusCode, body)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	return resp.StatusCode, a
}

// send sends a request to a URL the worker signed, with the headers it said to send.
func send(t *testing.T, a signAnswer, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(a.Method, a.URL, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range a.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(got)
}

// TestEdgeRecipe runs examples/edge-worker in workerd, with an HS256 secret and with an ES256
// public JWK: a caller with a valid JWT gets URLs under users/<sub>/ that the emulator accepts
// (a PUT, then a GET of the same bytes); a forged, tampered, expired, unsigned or misaddressed
// token gets 401, and keys that would leave the prefix or methods not offered get 400.
func TestEdgeRecipe(t *testing.T) {
	env := startEmulator(t)
	secret := make([]byte, 32)
	_, err := rand.Read(secret)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecPub, err := ecKey.PublicKey.ECDH()
	require.NoError(t, err)
	point := ecPub.Bytes() // 0x04 || X || Y
	jwk, err := json.Marshal(map[string]string{"kty": "EC", "crv": "P-256", "alg": "ES256", "x": b64(point[1:33]), "y": b64(point[33:])})
	require.NoError(t, err)
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	configs := []struct {
		name   string
		env    string
		signer jwtSigner
		forger jwtSigner // the right algorithm, the wrong key
		// confused is a token signed HS256 with what the worker knows publicly.
		confused jwtSigner
	}{
		{name: "HS256", env: "JWT_HS256_SECRET=" + base64.StdEncoding.EncodeToString(secret)[:43], signer: hs256([]byte(base64.StdEncoding.EncodeToString(secret)[:43])),
			forger: hs256([]byte("a-different-secret-of-at-least-32-bytes")), confused: hs256([]byte(""))},
		{name: "ES256", env: "JWT_PUBLIC_JWK=" + string(jwk), signer: es256(ecKey), forger: es256(otherKey), confused: hs256(jwk)},
	}
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			base := edgeWorker(t, env, cfg.env)
			good := cfg.signer.token(cfg.signer.alg, claims("alice", nil))

			status, put := askSign(t, base, good, url.Values{"key": {"notes/a b+c.txt"}, "method": {"PUT"}, "contentType": {"text/plain"}})
			require.Equal(t, http.StatusOK, status, "%s: %s", put.Code, put.Message)
			assert.Equal(t, "users/alice/notes/a b+c.txt", put.Key)
			assert.Equal(t, "text/plain", put.Headers["Content-Type"], "the signed type is one of the headers to send")
			status, body := send(t, put, "from the edge "+cfg.name)
			require.Equal(t, http.StatusOK, status, "the emulator accepts the PUT URL: %s", body)
			status, get := askSign(t, base, good, url.Values{"key": {"notes/a b+c.txt"}})
			require.Equal(t, http.StatusOK, status)
			status, body = send(t, get, "")
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, "from the edge "+cfg.name, body)
			expiresAt, err := time.Parse(time.RFC3339, get.ExpiresAt)
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now().Add(10*time.Minute), expiresAt, time.Minute, "600 s by default")

			tampered := strings.Split(good, ".")
			tampered[1] = b64(must(json.Marshal(claims("bob", nil))))
			refused := map[string]string{
				"no token":           "",
				"forged":             cfg.forger.token(cfg.signer.alg, claims("alice", nil)),
				"tampered claims":    strings.Join(tampered, "."),
				"expired":            cfg.signer.token(cfg.signer.alg, claims("alice", map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})),
				"no exp":             cfg.signer.token(cfg.signer.alg, claims("alice", map[string]any{"exp": nil})),
				"not yet valid":      cfg.signer.token(cfg.signer.alg, claims("alice", map[string]any{"nbf": time.Now().Add(time.Hour).Unix()})),
				"other audience":     cfg.signer.token(cfg.signer.alg, claims("alice", map[string]any{"aud": "another-service"})),
				"other issuer":       cfg.signer.token(cfg.signer.alg, claims("alice", map[string]any{"iss": "https://evil.example.test"})),
				"alg none":           strings.Join(append(strings.Split(cfg.signer.token("none", claims("alice", nil)), ".")[:2], ""), "."),
				"algorithm confused": cfg.confused.token("HS256", claims("alice", nil)),
				"sub is ..":          cfg.signer.token(cfg.signer.alg, claims("..", nil)),
				"sub with a slash":   cfg.signer.token(cfg.signer.alg, claims("alice/../bob", nil)),
			}
			for name, token := range refused {
				status, a := askSign(t, base, token, url.Values{"key": {"x.txt"}})
				assert.Equal(t, http.StatusUnauthorized, status, "%s: %s %s", name, a.Code, a.URL)
				assert.Empty(t, a.URL, name)
			}
			badRequests := map[string]url.Values{
				"a key leaving the prefix": {"key": {"../bob/x.txt"}},
				"no key":                   {},
				"a method not offered":     {"key": {"x.txt"}, "method": {"DELETE"}},
				"an expiry too long":       {"key": {"x.txt"}, "expires": {"86400"}},
			}
			for name, query := range badRequests {
				status, a := askSign(t, base, good, query)
				assert.Equal(t, http.StatusBadRequest, status, "%s: %s", name, a.Code)
				assert.Empty(t, a.URL, name)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
