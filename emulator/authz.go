package emulator

import (
	"time"
)

// authorize checks the signer's right to call c.op on key (or on the bucket, for bucket
// operations). The root key may do anything; so may the role, so an STS session may do what
// its session policy allows, evaluated as RAM does.
func (c *call) authorize(key string) error {
	return c.authorizeAction(c.op.action, c.bucket, key, c.op.onBucket)
}

// authorizeAction checks the signer's right to do action on bucket/key (or on the bucket,
// with onBucket): what an operation that touches more than its own object (a copy's source,
// each key of a batch delete) checks for each.
func (c *call) authorizeAction(action, bucket, key string, onBucket bool) error {
	s := c.principal.session
	if s == nil || s.policy == nil {
		return nil
	}
	resource := c.e.resourceARN(bucket, key, onBucket)
	if s.policy.allows(action, resource, c.conditionKeys()) {
		return nil
	}
	return errAccessDenied("You have no right to access this object: the session policy of "+s.claims.SessionName+
		" does not allow "+action+" on "+resource+".").
		with("Action", action).with("Resource", resource).withEC(ecAccessDenied)
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
