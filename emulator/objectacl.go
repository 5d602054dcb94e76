package emulator

import (
	"encoding/xml"
	"net/http"
)

// Object ACLs (x-oss-object-acl). The buckets themselves are private.
const (
	aclDefault         = "default"
	aclPrivate         = "private"
	aclPublicRead      = "public-read"
	aclPublicReadWrite = "public-read-write"
)

// parseObjectACL reads an x-oss-object-acl value: "" when absent or "default" (the object
// follows the bucket's ACL), else private, public-read or public-read-write.
func parseObjectACL(v string) (string, error) {
	switch v {
	case "", aclDefault:
		return "", nil
	case aclPrivate, aclPublicRead, aclPublicReadWrite:
		return v, nil
	}
	return "", errInvalidArgument("The x-oss-object-acl header must be default, private, public-read or public-read-write.",
		"x-oss-object-acl", v)
}

// objectACL reads the x-oss-object-acl an upload of key sends (a header, or a PostObject
// field) and checks the signer may set it: setting an object's ACL as it is written takes
// oss:PutObjectAcl, as PutObjectAcl does, on top of the write's own action.
func (c *call) objectACL(v, key string) (string, error) {
	acl, err := parseObjectACL(v)
	if err != nil || v == "" {
		return acl, err
	}
	return acl, c.authorizeAction("oss:PutObjectAcl", c.bucket, key, false)
}

// publiclyReadable reports whether an object's ACL lets anyone read it without signing.
func publiclyReadable(m *objectMeta) bool {
	return m.ACL == aclPublicRead || m.ACL == aclPublicReadWrite
}

// putObjectACL is PutObjectAcl: it sets the object's ACL from x-oss-object-acl.
func (c *call) putObjectACL() error {
	v := c.r.Header.Get("x-oss-object-acl")
	if v == "" {
		return errInvalidArgument("PutObjectAcl needs the x-oss-object-acl header.", "x-oss-object-acl", "")
	}
	acl, err := parseObjectACL(v)
	if err != nil {
		return err
	}
	if _, err := c.e.store.update(c.bucket, c.key, func(m objectMeta) (objectMeta, error) {
		m.ACL = acl
		return m, nil
	}); err != nil {
		return err
	}
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// getObjectACL is GetObjectAcl: the object's ACL, "default" when it follows the bucket's.
func (c *call) getObjectACL() error {
	m, err := c.e.store.head(c.bucket, c.key)
	if err != nil {
		return err
	}
	grant := m.ACL
	if grant == "" {
		grant = aclDefault
	}
	return c.writeXML(http.StatusOK, struct {
		XMLName xml.Name `xml:"AccessControlPolicy"`
		Owner   owner
		Grant   string `xml:"AccessControlList>Grant"`
	}{Owner: owner{ID: c.e.account, DisplayName: c.e.account}, Grant: grant})
}

// anonymousRead admits an unsigned GetObject or HeadObject of an object whose ACL is
// public-read or public-read-write; every other unsigned request is AccessDenied.
func (e *Emulator) anonymousRead(c *call) (*principal, error) {
	if c.op == opGetObject || c.op == opHeadObject || c.op == opGetObjectMeta {
		if m, err := e.store.head(c.bucket, c.key); err == nil && publiclyReadable(m) {
			return &principal{}, nil
		}
	}
	return nil, errAccessDenied("You have no right to access this object because of bucket acl: anonymous access is not allowed; sign the request.").
		withEC(ecAccessDenied)
}
