package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// STS limits and formats.
const (
	// stsAPIVersion is the STS API version served.
	stsAPIVersion = "2015-04-01"
	// stsTimeFormat is the format of Timestamp and Expiration.
	stsTimeFormat = "2006-01-02T15:04:05Z"
	// maxSessionPolicy is the largest session policy AssumeRole accepts, in bytes.
	maxSessionPolicy = 2048
	// minSessionDuration is the shortest session.
	minSessionDuration = 900
	// defaultSessionDuration is the session length when DurationSeconds is absent.
	defaultSessionDuration = 3600
)

// Patterns of AssumeRole's operation parameters (sts-and-vending.md §1.7).
var (
	sessionNamePattern    = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
	externalIDPattern     = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	sourceIdentityPattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

// stsError is an error answered by the STS endpoint.
type stsError struct {
	status        int
	code, message string
}

// Error returns "Code: Message".
func (e *stsError) Error() string { return e.code + ": " + e.message }

// stsFail returns an STS error.
func stsFail(status int, code, format string, args ...any) *stsError {
	return &stsError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// assumeRoleResponse is AssumeRole's answer, in JSON or XML.
type assumeRoleResponse struct {
	XMLName         xml.Name `json:"-" xml:"AssumeRoleResponse"`
	RequestID       string   `json:"RequestId" xml:"RequestId"`
	AssumedRoleUser struct {
		Arn           string
		AssumedRoleID string `json:"AssumedRoleId" xml:"AssumedRoleId"`
	}
	Credentials struct {
		AccessKeyID     string `json:"AccessKeyId" xml:"AccessKeyId"`
		AccessKeySecret string
		SecurityToken   string
		Expiration      string
	}
	SourceIdentity string `json:",omitempty" xml:",omitempty"`
}

// stsErrorDocument is an STS error answer.
type stsErrorDocument struct {
	XMLName   xml.Name `json:"-" xml:"Error"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
	HostID    string   `json:"HostId" xml:"HostId"`
	Code      string
	Message   string
	Recommend string
}

// serveSTS is the STS endpoint: AssumeRole, RPC style, the common parameters in the query and
// the operation's in a form body (or all in the query), answered in JSON or (the default) XML.
func (e *Emulator) serveSTS(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	e.stats.assumeRoleCalls.Add(1)
	id := newSTSRequestID()
	params, err := stsParams(r)
	var resp *assumeRoleResponse
	if err == nil {
		resp, err = e.assumeRole(r.Method, params, e.cfg.Now())
	}
	attrs := []slog.Attr{slog.String("request_id", id), slog.String("role_session_name", params.Get("RoleSessionName"))}
	status := http.StatusOK
	var doc any = resp
	if err != nil {
		se, ok := err.(*stsError)
		if !ok {
			se = stsFail(http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error.")
		}
		status = se.status
		doc = stsErrorDocument{RequestID: id, HostID: r.Host, Code: se.code, Message: se.message,
			Recommend: "https://api.aliyun.com/troubleshoot?q=" + se.code + "&product=Sts"}
		attrs = append(attrs, slog.String("code", se.code))
	} else {
		resp.RequestID = id
		e.stats.credentialsIssued.Add(1)
		attrs = append(attrs, slog.String("issued_access_key_id", resp.Credentials.AccessKeyID),
			slog.String("expiration", resp.Credentials.Expiration))
	}
	var body []byte
	if strings.EqualFold(params.Get("Format"), "JSON") {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		body, _ = json.Marshal(doc)
	} else {
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
		body, _ = xml.Marshal(doc)
		body = append([]byte(xml.Header), body...)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
	attrs = append(attrs, slog.Int("status", status), slog.Duration("duration", time.Since(start)))
	e.log.LogAttrs(r.Context(), slog.LevelInfo, "sts", attrs...)
}

// stsParams merges the query and a form body. A parameter may appear only once.
func stsParams(r *http.Request) (url.Values, error) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return url.Values{}, stsFail(http.StatusBadRequest, "InvalidParameter", "The query string is malformed.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return params, stsFail(http.StatusBadRequest, "InvalidParameter", "The request body could not be read.")
	}
	if len(body) > 0 {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" {
			return params, stsFail(http.StatusBadRequest, "InvalidParameter.ContentType",
				"The request body must be application/x-www-form-urlencoded (this emulator does not take JSON bodies).")
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return params, stsFail(http.StatusBadRequest, "InvalidParameter", "The form body is malformed.")
		}
		for name, values := range form {
			params[name] = append(params[name], values...)
		}
	}
	for name, values := range params {
		if len(values) > 1 {
			return params, stsFail(http.StatusBadRequest, "InvalidParameter", "The parameter %s appears more than once.", name)
		}
	}
	return params, nil
}

// assumeRole checks an AssumeRole call (common parameters, signature, nonce, then the
// operation's parameters) and issues temporary credentials.
func (e *Emulator) assumeRole(method string, p url.Values, now time.Time) (*assumeRoleResponse, error) {
	for _, name := range []string{"Action", "Version", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature"} {
		if p.Get(name) == "" {
			return nil, stsFail(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name)
		}
	}
	switch {
	case p.Get("Action") != "AssumeRole":
		return nil, stsFail(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	case p.Get("Version") != stsAPIVersion:
		return nil, stsFail(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid: it must be %s.", stsAPIVersion)
	case p.Get("SignatureMethod") != "HMAC-SHA1" || p.Get("SignatureVersion") != "1.0":
		return nil, stsFail(http.StatusBadRequest, "InvalidSignatureMethod", "Only SignatureMethod HMAC-SHA1 with SignatureVersion 1.0 is supported.")
	}
	ts, err := time.Parse(stsTimeFormat, p.Get("Timestamp"))
	if err != nil {
		return nil, stsFail(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted: it must be yyyy-MM-ddTHH:mm:ssZ in UTC.")
	}
	if d := now.Sub(ts); d > maxSkew || d < -maxSkew {
		return nil, stsFail(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired: it is more than 15 minutes from the server time %s.", now.UTC().Format(stsTimeFormat))
	}
	accessKeyID := p.Get("AccessKeyId")
	switch {
	case strings.HasPrefix(accessKeyID, stsKeyPrefix):
		return nil, stsFail(http.StatusForbidden, "NoPermission", "This emulator does not chain roles: call AssumeRole with the root AccessKey.")
	case accessKeyID != e.cfg.RootAccessKeyID:
		return nil, stsFail(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	stringToSign := rpcStringToSign(method, p)
	if subtle.ConstantTimeCompare([]byte(rpcSignature(e.cfg.RootAccessKeySecret, stringToSign)), []byte(p.Get("Signature"))) != 1 {
		return nil, stsFail(http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature does not match our calculation. server string to sign is:%s", stringToSign)
	}
	if !e.nonces.use(accessKeyID+"\x00"+p.Get("SignatureNonce"), now) {
		return nil, stsFail(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
	}
	duration, err := e.checkAssumeRoleParams(p)
	if err != nil {
		return nil, err
	}
	expires := now.Add(time.Duration(duration) * time.Second).Truncate(time.Second)
	claims, secret, token := e.mintSession(p.Get("RoleSessionName"), p.Get("Policy"), now, expires)
	resp := &assumeRoleResponse{SourceIdentity: p.Get("SourceIdentity")}
	resp.AssumedRoleUser.Arn = e.cfg.RoleARN + "/" + claims.SessionName
	resp.AssumedRoleUser.AssumedRoleID = e.roleID() + ":" + claims.SessionName
	resp.Credentials.AccessKeyID = claims.AccessKeyID
	resp.Credentials.AccessKeySecret = secret
	resp.Credentials.SecurityToken = token
	resp.Credentials.Expiration = expires.UTC().Format(stsTimeFormat)
	return resp, nil
}

// checkAssumeRoleParams checks RoleArn, RoleSessionName, DurationSeconds, Policy, ExternalId
// and SourceIdentity, and returns the session length in seconds.
func (e *Emulator) checkAssumeRoleParams(p url.Values) (int, error) {
	arn, err := requiredParam(p, "RoleArn", roleARNPattern, "it must be acs:ram::<account id>:role/<role name>")
	if err != nil {
		return 0, err
	}
	if arn != e.cfg.RoleARN {
		return 0, stsFail(http.StatusNotFound, "EntityNotExist.Role", "The specified Role not exists: %s.", arn)
	}
	if _, err := requiredParam(p, "RoleSessionName", sessionNamePattern, "2–64 characters of A–Z a–z 0–9 . @ _ -"); err != nil {
		return 0, err
	}
	duration := defaultSessionDuration
	maxDuration := int(e.cfg.MaxSessionDuration / time.Second)
	if v := p.Get("DurationSeconds"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < minSessionDuration || d > maxDuration {
			return 0, stsFail(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is %ds/%ds.", minSessionDuration, maxDuration)
		}
		duration = d
	}
	if policy := p.Get("Policy"); policy != "" {
		if len(policy) > maxSessionPolicy {
			return 0, stsFail(http.StatusBadRequest, "InvalidParameter.PolicySize", "The parameter Policy size must be smaller than %d bytes.", maxSessionPolicy)
		}
		if _, err := parseRAMPolicy(policy); err != nil {
			return 0, stsFail(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not a valid grammar: %v.", err)
		}
	}
	if v := p.Get("ExternalId"); v != "" && (len(v) < 2 || len(v) > 1224 || !externalIDPattern.MatchString(v)) {
		return 0, stsFail(http.StatusBadRequest, "InvalidParameter.ExternalId", "The parameter ExternalId is wrongly formed.")
	}
	if v := p.Get("SourceIdentity"); v != "" && (!sourceIdentityPattern.MatchString(v) || hasReservedPrefix(v)) {
		return 0, stsFail(http.StatusBadRequest, "InvalidParameter.SourceIdentity", "The parameter SourceIdentity is wrongly formed.")
	}
	return duration, nil
}

// requiredParam returns a mandatory parameter that must match pattern: Missing<name> when
// absent, InvalidParameter.<name> (explaining rule) when malformed.
func requiredParam(p url.Values, name string, pattern *regexp.Regexp, rule string) (string, error) {
	v := p.Get(name)
	switch {
	case v == "":
		return "", stsFail(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name)
	case !pattern.MatchString(v):
		return "", stsFail(http.StatusBadRequest, "InvalidParameter."+name, "The parameter %s is wrongly formed: %s.", name, rule)
	}
	return v, nil
}

// hasReservedPrefix reports whether a SourceIdentity starts with a prefix STS reserves.
func hasReservedPrefix(v string) bool {
	lower := strings.ToLower(v)
	return strings.HasPrefix(lower, "acs:") || strings.HasPrefix(lower, "aliyun:") || strings.HasPrefix(lower, "alibabacloud:")
}

// roleID is the role's id: a stable 19-digit number derived from its ARN.
func (e *Emulator) roleID() string {
	sum := sha256.Sum256([]byte(e.cfg.RoleARN))
	return fmt.Sprintf("3%018d", binary.BigEndian.Uint64(sum[:8])%1e18)
}

// newSTSRequestID returns an id shaped like STS's (a UUID in upper case).
func newSTSRequestID() string {
	h := newRequestID() + newRequestID()[:8]
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
