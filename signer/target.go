package signer

// Version selects the signature algorithm.
type Version string

// Signature versions. The zero value of Target.Version means V4.
const (
	V1 Version = "v1" // HMAC-SHA1, "OSS ak:signature"
	V4 Version = "v4" // OSS4-HMAC-SHA256
)

// Target says where requests go and how they are signed. The zero value is not usable: set at
// least Region (which also gives the default endpoint oss-<region>.aliyuncs.com over https).
type Target struct {
	// Region is the bucket's region id, bare ("cn-hangzhou") or with the endpoint prefix
	// ("oss-cn-hangzhou", stripped). A CloudBox id ("cb-…") selects the product oss-cloudbox.
	// Required for V4, and for V1 when Endpoint is empty.
	Region string
	// Endpoint is host[:port], optionally with an http:// or https:// scheme (default https):
	// a regional endpoint ("oss-cn-hangzhou.aliyuncs.com"), a custom domain (with CNAME), or an
	// IP / localhost endpoint (always path-style). Empty means oss-<Region>.aliyuncs.com.
	Endpoint string
	// Scheme is "https" (the default) or "http", used when Endpoint names no scheme.
	Scheme string
	// PathStyle puts the bucket in the path (https://endpoint/bucket/key) instead of the host.
	PathStyle bool
	// CNAME says Endpoint is a custom domain bound to the bucket: https://domain/key.
	CNAME bool
	// Version is the signature version; empty means V4.
	Version Version
	// EncodeSlash writes '/' in keys as %2F in URL paths. By default '/' stays literal (as the
	// official Go SDK and ali-oss do); both reach the same object and signature.
	EncodeSlash bool
}

// Validate reports whether t is usable, so that a configuration mistake surfaces when a client
// is set up rather than at its first signature.
func (t Target) Validate() error {
	_, err := t.resolve()
	return err
}

type addressing uint8

const (
	virtualHosted addressing = iota
	pathStyle
	customDomain
)

// endpoint is a validated Target.
type endpoint struct {
	version    Version
	region     string // bare region id, "" when V1 without region
	product    string
	scheme     string
	host       string // lower-case host[:port]
	addressing addressing
	keepSlash  bool
}

const (
	productOSS      = "oss"
	productCloudBox = "oss-cloudbox"
)

func (t *Target) resolve() (endpoint, error) {
	e := endpoint{version: t.Version, product: productOSS, scheme: lower(t.Scheme), keepSlash: !t.EncodeSlash}
	switch e.scheme {
	case "":
		e.scheme = "https"
	case "http", "https":
	default:
		return e, newError(CodeInvalidEndpoint, "invalid scheme ", quote(t.Scheme), `: use "https" or "http"`)
	}
	switch e.version {
	case "":
		e.version = V4
	case V1, V4:
	default:
		return e, newError(CodeInvalidVersion, "invalid signature version ", quote(string(t.Version)), `: use "v1" or "v4"`)
	}
	region, err := bareRegion(t.Region)
	if err != nil {
		return e, err
	}
	e.region = region
	if hasPrefix(region, "cb-") {
		e.product = productCloudBox
	}
	if region == "" && (e.version == V4 || t.Endpoint == "") {
		return e, newError(CodeInvalidRegion, "no region: set the bucket's region id, e.g. \"cn-hangzhou\"")
	}
	if t.Endpoint == "" {
		if e.product == productCloudBox {
			return e, newError(CodeInvalidEndpoint, "a CloudBox region needs its endpoint: set Endpoint to the CloudBox's data endpoint")
		}
		e.host = "oss-" + region + ".aliyuncs.com"
	} else if e.host, err = parseEndpoint(t.Endpoint, &e.scheme); err != nil {
		return e, err
	}
	switch {
	case t.CNAME && t.PathStyle:
		return e, newError(CodeInvalidEndpoint, "PathStyle and CNAME exclude each other: a custom domain is bound to one bucket")
	case t.CNAME:
		e.addressing = customDomain
	case t.PathStyle || isIPOrLocalhost(e.host):
		e.addressing = pathStyle
	}
	return e, nil
}

// bareRegion validates a region id and strips an "oss-" endpoint prefix.
func bareRegion(region string) (string, error) {
	r := trimPrefix(region, "oss-")
	for i := 0; i < len(r); i++ {
		if c := r[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return "", newError(CodeInvalidRegion, "invalid region ", quote(region),
				": use the region id in lower case, e.g. \"cn-hangzhou\" or \"ap-southeast-1\"")
		}
	}
	if hasSuffix(r, "-internal") {
		return "", newError(CodeInvalidRegion, "invalid region ", quote(region),
			": signatures use the bare region id (", quote(trimSuffix(r, "-internal")),
			"); put the internal host in Endpoint instead")
	}
	if region != "" && r == "" || hasPrefix(r, "-") || hasSuffix(r, "-") {
		return "", newError(CodeInvalidRegion, "invalid region ", quote(region), ": expected an id such as \"cn-hangzhou\"")
	}
	return r, nil
}

// parseEndpoint returns the lower-case host[:port] of "[scheme://]host[:port][/]"; a scheme
// in raw replaces *scheme.
func parseEndpoint(raw string, scheme *string) (string, error) {
	host := raw
	if i := index(raw, "://"); i >= 0 {
		*scheme, host = lower(raw[:i]), raw[i+3:]
		if *scheme != "http" && *scheme != "https" {
			return "", newError(CodeInvalidEndpoint, "invalid endpoint ", quote(raw), ": the scheme must be http or https")
		}
	}
	host = lower(trimSuffix(host, "/"))
	if !validHostPort(host) {
		return "", newError(CodeInvalidEndpoint, "invalid endpoint ", quote(raw),
			": expected host[:port] with an optional http:// or https://, e.g. \"oss-cn-hangzhou.aliyuncs.com\"")
	}
	return host, nil
}

func validHostPort(hp string) bool {
	host, port := hp, ""
	if hasPrefix(hp, "[") { // [IPv6]:port
		end := indexByte(hp, ']')
		if end < 0 {
			return false
		}
		host, port = hp[1:end], hp[end+1:]
		for i := 0; i < len(host); i++ {
			if c := host[i]; !(c == ':' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
		if port != "" && port[0] != ':' {
			return false
		}
	} else if i := lastIndexByte(hp, ':'); i >= 0 {
		host, port = hp[:i], hp[i:]
	}
	if port != "" && !validPort(port[1:]) || host == "" || len(host) > 253 {
		return false
	}
	if hp[0] == '[' {
		return true
	}
	for _, label := range split(host, '.', -1) {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n >= 1 && n <= 65535
}

// isIPOrLocalhost reports hosts that cannot carry a bucket sub-domain, which the official SDKs
// force to path-style: IPv4, [IPv6] and localhost.
func isIPOrLocalhost(hostPort string) bool {
	if hasPrefix(hostPort, "[") {
		return true
	}
	host := hostPort
	if i := lastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	if host == "localhost" {
		return true
	}
	dots := 0
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return dots == 3
}
