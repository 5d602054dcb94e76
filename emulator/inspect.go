package emulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// OpenUpload is a multipart upload that was initiated and neither completed nor aborted.
type OpenUpload struct {
	// Key is the object key the upload writes.
	Key string
	// UploadID is the upload's id.
	UploadID string
	// Parts is the number of parts uploaded so far.
	Parts int
}

// OpenUploads returns bucket's unfinished multipart uploads, sorted by key then upload id: what
// a test checks after cancelling an upload.
func (e *Emulator) OpenUploads(bucket string) []OpenUpload {
	s := e.store
	s.upMu.Lock()
	uploads := make([]*upload, 0, len(s.uploads))
	for _, u := range s.uploads {
		if u.Bucket == bucket {
			uploads = append(uploads, u)
		}
	}
	s.upMu.Unlock()
	var out []OpenUpload
	for _, u := range uploads {
		u.mu.Lock()
		if !u.done {
			out = append(out, OpenUpload{Key: u.Key, UploadID: u.ID, Parts: len(u.parts)})
		}
		u.mu.Unlock()
	}
	slices.SortFunc(out, func(a, b OpenUpload) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return strings.Compare(a.UploadID, b.UploadID)
	})
	return out
}

// Credentials are temporary credentials as AssumeRole issues them.
type Credentials struct {
	AccessKeyID, AccessKeySecret, SecurityToken string
	// Expiration is when the OSS endpoint stops accepting them.
	Expiration time.Time
}

// IssueCredentials mints STS credentials for the role, as AssumeRole would, but with any
// lifetime from one second (AssumeRole's minimum is 15 minutes): for tests of clients whose
// credentials expire during a transfer. policy is the session policy JSON ("" for none).
func (e *Emulator) IssueCredentials(sessionName, policy string, lifetime time.Duration) (Credentials, error) {
	if lifetime < time.Second {
		return Credentials{}, errors.New("emulator: IssueCredentials: lifetime must be at least 1s")
	}
	if !sessionNamePattern.MatchString(sessionName) {
		return Credentials{}, errors.New("emulator: IssueCredentials: session name must be 2–64 characters of A–Z a–z 0–9 . @ _ -")
	}
	if policy != "" {
		if _, err := parseRAMPolicy(policy); err != nil {
			return Credentials{}, fmt.Errorf("emulator: IssueCredentials: session policy: %w", err)
		}
	}
	now := e.cfg.Now()
	claims, secret, token := e.mintSession(sessionName, policy, now, now.Add(lifetime).Truncate(time.Second))
	expires := time.Unix(claims.Expires, 0)
	return Credentials{AccessKeyID: claims.AccessKeyID, AccessKeySecret: secret, SecurityToken: token, Expiration: expires}, nil
}

// mintSession issues a role session's temporary AccessKey, secret and security token.
func (e *Emulator) mintSession(sessionName, policy string, now, expires time.Time) (sessionClaims, string, string) {
	return e.tokens.issue(sessionClaims{
		IssuedAt: now.Unix(), Expires: expires.Unix(), RoleARN: e.cfg.RoleARN, SessionName: sessionName, Policy: policy,
	})
}
