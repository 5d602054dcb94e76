// Package vending is ossign's token-vending server: it authenticates the caller of a web page,
// derives a session policy scoped to that user's key prefix, calls STS AssumeRole through
// github.com/aliyun/credentials-go and answers the temporary credentials, so a browser can sign
// OSS requests without ever holding a long-term AccessKey.
//
// Routes of [Server.Handler]:
//
//	GET  /sts      temporary credentials for the caller (flat JSON, see below)
//	POST /sign     a server-signed upload (PUT URL or PostObject form) for a key the server picks
//	GET  /healthz  liveness: 200 {"Status":"ok"}
//	GET  /readyz   readiness: 200 {"Status":"ready"}, or 503 {"Status":"not ready","Checks":{…}}
//	               when STS has not answered recently or the JWKS is not loaded
//
// [Server.MetricsHandler] serves GET /metrics (Prometheus text: requests by route and
// outcome, credentials by source, STS calls and their latency, rate-limit refusals) on a
// listener of its own ([Server.ServeMetrics]).
//
// Config.Offer chooses between /sts and /sign. Credentials from /sts can upload any type and
// size their session policy allows, bypassing /sign's limits; so both are offered by default
// unless a /sign limit is set (Presign.ContentTypes or MaxBytes: then /sign only), and serving
// both with a session policy that allows oss:PutObject logs a warning at startup.
//
// GET /sts answers the flat JSON of credentials-go's credentials-URI provider, which ali-oss's
// refreshSTSToken also reads (spec sts-and-vending.md §5.4):
//
//	{"Code":"Success","AccessKeyId":"STS.…","AccessKeySecret":"…","SecurityToken":"…",
//	 "Expiration":"2026-01-01T00:15:00Z","Bucket":"…","Region":"cn-hangzhou",
//	 "Endpoint":"https://oss-cn-hangzhou.aliyuncs.com","Prefix":"users/42/"}
//
// with Cache-Control: no-store. Every error is JSON {"Code":"…","Message":"…","RequestId":"…"}
// with a Code from the Code* constants; details stay in the server's log.
//
// Who may ask is decided by an [Authenticator]: [JWT] (HS256 secret or an RS256/ES256 JWKS),
// [ProxyHeader] (a user header set by a trusted reverse proxy) or, for local development only,
// [DevAnonymous] (a random id per browser, kept in a cookie). [New] refuses a Config without one.
//
// What they get is the intersection of the role's own policy and a session policy rendered per
// user from Config.PolicyTemplate (by default: read, write and multipart on
// <bucket>/<prefix><user>/*, and listing under that prefix). Credentials are cached per (user,
// policy, duration) and reused until 5 minutes before they expire; concurrent misses for the
// same key make a single STS call, so the account's AssumeRole quota (100/s) is spent once per
// user per lifetime. POST /sign needs no STS call per user at all: it signs with one cached
// role session of the server's own, scoped to PutObject under Config.Prefix.
//
// STS is guarded: all calls together keep to a budget (Config.STSBudget, 50/s with bursts of
// 25 by default; a request waits for it at most Config.STSQueueWait, else 503 STSBusy with
// Retry-After); each call gives up after Config.STSTimeout (5 s); a failed call makes the next
// one for the same session wait 1 s, 2 s, 4 s … 30 s (502 STSUnavailable with Retry-After in
// between, without a call). Whenever credentials cannot be refreshed, the cached ones are
// handed out until a minute before they expire, with their expiry.
//
// State is kept in memory, per process; several instances share it through Redis
// (Config.RedisURL): the credentials, encrypted with Config.CacheKey (AES-256-GCM) under key
// names that reveal nothing; a lock per session, so that the instances make one AssumeRole call
// per user between them; the rate limits and the STS budget (GCRA in Lua). When Redis cannot be
// reached, each instance goes on from its own memory, logging it once, and uses Redis again
// when it answers; no request fails because of it.
//
// Logs (log/slog) never contain an AccessKeySecret, a SecurityToken, a JWT or a cookie value.
package vending
