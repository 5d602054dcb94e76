package emulator

import (
	"time"
)

// authorize checks the signer's right to call c.op on key (or on the bucket, for bucket
// operations). The root key may do anything; so may the role, so an STS session may do what
// its session policy allows, evaluated as RAM does.
func (c *call) authorize(key string) error {
	s := c.principal.session
	if s == nil || s.policy == nil {
		return nil
	}
	resource := c.e.resourceARN(c.bucket, key, c.op.onBucket)
	if s.policy.allows(c.op.action, resource, c.conditionKeys()) {
		return nil
	}
	return errAccessDenied("You have no right to access this object: the session policy of "+s.claims.SessionName+
		" does not allow "+c.op.action+" on "+resource+".").
		with("Action", c.op.action).with("Resource", resource)
}

// conditionKeys are the RAM condition keys of the request, by lower-case name:
// acs:SourceIp, acs:SecureTransport, acs:CurrentTime and, for listings, oss:Prefix and
// oss:Delimiter when the request has them.
func (c *call) conditionKeys() map[string]string {
	ctx := map[string]string{
		"acs:sourceip":        c.sourceIP(),
		"acs:securetransport": "false",
		"acs:currenttime":     c.now.UTC().Format(time.RFC3339),
	}
	if c.op.onBucket {
		q := c.r.URL.Query()
		for _, name := range []string{"prefix", "delimiter"} {
			if q.Has(name) {
				ctx["oss:"+name] = q.Get(name)
			}
		}
	}
	return ctx
}
