package vending

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawSign sends POST /sign headers for a body of contentLength bytes with Expect:
// 100-continue over a plain connection, and returns the first response the server writes
// (a "100 Continue" too) without sending any of the body.
func (h *harness) rawSign(t *testing.T, contentLength int) *http.Response {
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.http.URL, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = fmt.Fprintf(conn, "POST /sign HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		strings.TrimPrefix(h.http.URL, "http://"), h.token("42", nil), contentLength)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// Issue 20, finding 2: POST /sign with Expect: 100-continue and an oversized body got
// "100 Continue", then a reset connection. The declared length is checked before the body is
// read: 413 instead of "100 Continue".
func TestSignBodyTooLargeBeforeContinue(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		name          string
		contentLength int
		status        int
	}{
		{"a megabyte", 1 << 20, http.StatusRequestEntityTooLarge},
		{"one byte over 4 KiB", maxSignBody + 1, http.StatusRequestEntityTooLarge},
		{"4 KiB exactly: go on", maxSignBody, http.StatusContinue},
		{"a small body: go on", 60, http.StatusContinue},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.rawSign(t, tc.contentLength)
			require.Equal(t, tc.status, resp.StatusCode, "the first answer")
			if tc.status != http.StatusRequestEntityTooLarge {
				return
			}
			assert.True(t, resp.Close, "the unread body ends the connection (Connection: close)")
			body := decode(t, resp)
			assert.Equal(t, CodeBodyTooLarge, body["Code"])
			assert.Contains(t, body["Message"], "4096 bytes")
			assert.NotEmpty(t, body["RequestId"])
		})
	}
}

// A body of unknown length (chunked) that grows past the limit, or a declared one over it sent
// without Expect, gets the same typed 413; a body within the limit still signs.
func TestSignBodyTooLarge(t *testing.T) {
	h := newHarness(t, nil)
	valid := `{"contentType":"image/png","size":10}`
	padded := `{"contentType":"image/png","size":10,"pad":"` + strings.Repeat("x", 2*maxSignBody) + `"}`
	cases := []struct {
		name    string
		body    string
		chunked bool
		expect  bool
		status  int
		code    string
	}{
		{name: "declared length over the limit", body: padded, status: http.StatusRequestEntityTooLarge, code: CodeBodyTooLarge},
		{name: "chunked, growing past the limit", body: padded, chunked: true, status: http.StatusRequestEntityTooLarge, code: CodeBodyTooLarge},
		{name: "chunked, a valid object then junk past the limit", body: valid + strings.Repeat(" ", 2*maxSignBody) + "{}", chunked: true, status: http.StatusRequestEntityTooLarge, code: CodeBodyTooLarge},
		{name: "chunked, within the limit", body: valid, chunked: true, status: http.StatusOK},
		{name: "Expect: 100-continue within the limit", body: valid, expect: true, status: http.StatusOK},
		{name: "two objects within the limit", body: valid + valid, status: http.StatusBadRequest, code: CodeInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				body = io.MultiReader(body) // no length known: sent chunked
			}
			req, err := http.NewRequest(http.MethodPost, h.http.URL+"/sign", body)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+h.token("42", nil))
			req.Header.Set("Content-Type", "application/json")
			client := h.http.Client()
			if tc.expect {
				req.Header.Set("Expect", "100-continue")
				transport := http.DefaultTransport.(*http.Transport).Clone()
				transport.ExpectContinueTimeout = 5 * time.Second
				client = &http.Client{Transport: transport}
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tc.status, resp.StatusCode)
			var answer map[string]any
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
			if tc.code != "" {
				assert.Equal(t, tc.code, answer["Code"])
			} else {
				assert.NotEmpty(t, answer["URL"])
			}
		})
	}
}
