package vending

import (
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
)

// Upload modes of POST /sign.
const (
	modePut  = "put"
	modePost = "post"
)

// uploadCacheControl is the Cache-Control of every server-signed upload: the objects are a
// user's own, fetched through signed URLs, and no shared cache should keep them.
const uploadCacheControl = "private"

// inlineTypes are the content types whose server-signed uploads are served inline: raster
// images, which browsers display without running anything. Every other type is served as an
// attachment (a download), so an allowed type that a browser would render as a page (PDF,
// SVG, HTML, if an operator allows them) is never rendered on the bucket's origin.
var inlineTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "image/avif": true}

// pinnedHeaders are the attributes, besides the type and size, that a server-signed upload
// of contentType carries, signed into the PUT URL (the upload must send exactly these) and
// pinned by exact conditions of the PostObject policy (the form must send exactly these): the
// disposition, the cache policy, and no overwrite, so that the URL or form, once used, cannot
// replace what was uploaded. A PUT URL refuses every x-oss-* header it does not sign (an ACL,
// metadata, a storage class). A form may send fields its policy does not name, as OSS applies
// them (README, "What a /sign upload may carry"): x-oss-object-acl needs oss:PutObjectAcl,
// which the server's uploader session does not have; metadata and a redirect stay the
// uploader's, about their own object.
func pinnedHeaders(contentType string) []signer.Header {
	disposition := "attachment"
	if inlineTypes[contentType] {
		disposition = "inline"
	}
	return []signer.Header{
		{Name: "Content-Disposition", Value: disposition},
		{Name: "Cache-Control", Value: uploadCacheControl},
		{Name: "x-oss-forbid-overwrite", Value: "true"},
	}
}

// signRequest is the POST /sign body. Other fields, such as a file name, are ignored: the
// server picks the key.
type signRequest struct {
	// ContentType is the upload's Content-Type, one of the allow-list.
	ContentType string `json:"contentType"`
	// Size is the upload's exact size in bytes.
	Size int64 `json:"size"`
	// Mode is "put" (default: a presigned PUT URL) or "post" (a PostObject form).
	Mode string `json:"mode"`
}

// signResponse is the POST /sign answer.
type signResponse struct {
	// Key is the object key the server picked.
	Key string `json:"Key"`
	// URL is the presigned PUT URL, or the URL a PostObject form is posted to.
	URL string `json:"URL"`
	// Method is "PUT" or "POST".
	Method string `json:"Method"`
	// Headers (PUT) are the signed headers the upload must carry, exactly: Content-Type,
	// Content-Disposition, Cache-Control, x-oss-forbid-overwrite, and the Content-Length
	// browsers send by themselves.
	Headers map[string]string `json:"Headers,omitempty"`
	// Fields (POST) are the form fields to send before the file: the policy pins each one
	// with an exact condition, so OSS refuses a form that changes or leaves out any of them.
	Fields map[string]string `json:"Fields,omitempty"`
	// Expiration is when the URL or form stops working.
	Expiration string `json:"Expiration"`
}

// serveSign answers POST /sign: a signed upload of the declared content type and size to a
// new key under the user's prefix, signed with the server's own credentials.
func (s *Server) serveSign(w http.ResponseWriter, r *http.Request, user string) {
	req, ext, bad := s.parseSignRequest(w, r)
	if bad != nil {
		s.fail(w, r, *bad)
		return
	}
	creds, result, err := s.uploaderCredentials(r.Context())
	if err != nil {
		s.stsFailed(w, r, err)
		return
	}
	now := s.cfg.Now()
	key := s.userPrefix(user) + now.UTC().Format("2006/01/") + randomHex(16) + "." + ext
	var resp signResponse
	if req.Mode == modePost {
		resp, err = s.signPost(creds, key, req, now)
	} else {
		resp, err = s.signPut(creds, key, req, now)
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.logCredentials(r, result, creds)
	info := requestInfoOf(r)
	info.attrs = append(info.attrs, slog.String("mode", req.Mode), slog.String("key", key),
		slog.String("content_type", req.ContentType), slog.Int64("size", req.Size))
	writeJSON(w, http.StatusOK, resp)
}

// parseSignRequest reads and checks the body, returning the request with its mode and
// content type normalized and the key's extension, or the error to answer.
func (s *Server) parseSignRequest(w http.ResponseWriter, r *http.Request) (signRequest, string, *apiError) {
	var req signRequest
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return req, "", &apiError{http.StatusUnsupportedMediaType, CodeInvalidRequest, "send the body as Content-Type: application/json"}
	}
	if bad := readSignBody(w, r, &req); bad != nil {
		return req, "", bad
	}
	req.Mode = strings.ToLower(req.Mode)
	switch req.Mode {
	case "":
		req.Mode = modePut
	case modePut, modePost:
	default:
		return req, "", &apiError{http.StatusBadRequest, CodeInvalidRequest, `mode must be "put" or "post"`}
	}
	req.ContentType = strings.ToLower(strings.TrimSpace(req.ContentType))
	ext, ok := s.cfg.Presign.ContentTypes[req.ContentType]
	if !ok {
		return req, "", &apiError{http.StatusBadRequest, CodeContentTypeNotAllowed,
			"contentType must be one of: " + strings.Join(slices.Sorted(maps.Keys(s.cfg.Presign.ContentTypes)), ", ")}
	}
	if req.Size < 1 || req.Size > s.cfg.Presign.MaxBytes {
		return req, "", &apiError{http.StatusBadRequest, CodeSizeNotAllowed,
			"size must be from 1 to " + strconv.FormatInt(s.cfg.Presign.MaxBytes, 10) + " bytes"}
	}
	return req, ext, nil
}

// signPut presigns a PUT of exactly req.Size bytes of req.ContentType with pinnedHeaders
// (V4, with Content-Length, Content-Disposition and Cache-Control signed as additional
// headers, so OSS refuses any other size, or other values; x-oss-* headers are always signed).
// V4 can require a header's value but not its absence: the standard headers it does not
// sign (Content-Encoding, Content-Language, Expires) stay the uploader's to set; mode "post"
// refuses them too.
func (s *Server) signPut(creds signer.Credentials, key string, req signRequest, now time.Time) (signResponse, error) {
	headers := append([]signer.Header{
		{Name: "Content-Type", Value: req.ContentType},
		{Name: "Content-Length", Value: strconv.FormatInt(req.Size, 10)},
	}, pinnedHeaders(req.ContentType)...)
	signs, err := s.signers.get(creds)
	if err != nil {
		return signResponse{}, err
	}
	p, err := signs.Presign(signer.Request{
		Method:            http.MethodPut,
		Bucket:            s.cfg.Bucket,
		Key:               key,
		Headers:           headers,
		AdditionalHeaders: []string{"content-length", "content-disposition", "cache-control"},
		Expires:           s.cfg.Presign.Expires,
	}, now)
	if err != nil {
		return signResponse{}, err
	}
	signed := make(map[string]string, len(p.Headers))
	for _, h := range p.Headers {
		signed[h.Name] = h.Value
	}
	return signResponse{Key: key, URL: p.URL, Method: http.MethodPut, Headers: signed, Expiration: formatExpiration(p.Expiration)}, nil
}

// postStorageClass is the storage class a server-signed form pins: OSS would otherwise take
// x-oss-storage-class from the form (an Archive object cannot be read until it is restored).
// A PUT URL needs no such field: it refuses any x-oss-* header it does not sign.
const postStorageClass = "Standard"

// signPost signs a PostObject form pinning, by exact conditions real OSS enforces, the key,
// req.ContentType, exactly req.Size bytes, status 204, pinnedHeaders and the Standard storage
// class: a form that changes or drops any of them is refused.
func (s *Server) signPost(creds signer.Credentials, key string, req signRequest, now time.Time) (signResponse, error) {
	expiration := now.Add(s.cfg.Presign.Expires)
	if creds.Expiration.Before(expiration) {
		expiration = creds.Expiration // as wire.SignPostObjectWith does
	}
	var pinned []signer.Param
	for _, h := range pinnedHeaders(req.ContentType) {
		pinned = append(pinned, signer.Param{Name: h.Name, Value: h.Value})
	}
	pinned = append(pinned, signer.Param{Name: "x-oss-storage-class", Value: postStorageClass})
	signs, err := s.signers.get(creds)
	if err != nil {
		return signResponse{}, err
	}
	form, err := wire.SignPostObjectWith(signs, wire.PostPolicy{
		Expiration:          expiration,
		Bucket:              s.cfg.Bucket,
		Key:                 key,
		ContentLengthMin:    req.Size,
		ContentLengthMax:    req.Size,
		ContentTypes:        []string{req.ContentType},
		SuccessActionStatus: http.StatusNoContent,
		Fields:              pinned,
	}, now)
	if err != nil {
		return signResponse{}, err
	}
	fields := map[string]string{"Content-Type": req.ContentType}
	for _, f := range form.Fields {
		fields[f.Name] = f.Value
	}
	return signResponse{Key: key, URL: form.URL, Method: http.MethodPost, Fields: fields, Expiration: formatExpiration(expiration)}, nil
}
