package signer

// Difference is one part of a signed string where the client's and OSS's versions differ.
type Difference struct {
	// Part names the line: "method", "Content-Type", "canonical query", "header x-oss-meta-a", …
	Part string
	// Ours is the value the client signed ("" when absent); Theirs what OSS computed.
	Ours, Theirs string
	// Hint says what such a difference usually means and how to fix it.
	Hint string
}

// Diagnosis explains a SignatureDoesNotMatch.
type Diagnosis struct {
	// Compared is "canonical request" (V4, when OSS returned one) or "string to sign".
	Compared string
	// Differences lists each part that differs, in the order of the compared string.
	Differences []Difference
	// Summary is one sentence for a person.
	Summary string
}

// Diagnose compares what we signed (ours, from a Presigned or SignedRequest) with the
// StringToSign and CanonicalRequest that OSS returns in a SignatureDoesNotMatch error body, and
// says which part differs and what that part means. When every part agrees, the secret is wrong.
func Diagnose(ours Explanation, theirStringToSign, theirCanonicalRequest string) Diagnosis {
	theirStringToSign = withoutCR(theirStringToSign)
	theirCanonicalRequest = withoutCR(theirCanonicalRequest)
	var d Diagnosis
	switch {
	case ours.Version == V4 && theirCanonicalRequest != "":
		d = Diagnosis{Compared: "canonical request",
			Differences: compareParts(splitCanonicalRequestV4(ours.CanonicalRequest), splitCanonicalRequestV4(theirCanonicalRequest))}
		if len(d.Differences) == 0 {
			d.Differences = compareParts(splitStringToSignV4(ours.StringToSign), splitStringToSignV4(theirStringToSign))
		}
	case ours.Version == V4:
		d = Diagnosis{Compared: "string to sign",
			Differences: compareParts(splitStringToSignV4(ours.StringToSign), splitStringToSignV4(theirStringToSign))}
	default:
		d = Diagnosis{Compared: "string to sign",
			Differences: compareParts(splitStringToSignV1(ours.StringToSign), splitStringToSignV1(theirStringToSign))}
	}
	switch n := len(d.Differences); {
	case theirStringToSign == "" && theirCanonicalRequest == "":
		d.Differences = nil
		d.Summary = "OSS returned no StringToSign to compare with: read it from the error body's <StringToSign>"
	case n == 0:
		d.Summary = "OSS computed the same " + d.Compared + ", so the secret differs: the AccessKeySecret does not belong to the AccessKeyId, or stale credentials were mixed with a new token"
	default:
		d.Summary = "the " + d.Compared + " differs in " + d.Differences[0].Part + ": " + d.Differences[0].Hint
	}
	return d
}

// part is one labelled piece of a signed string. Pieces with a non-empty key are members of a
// set (headers, query parameters) and are matched by key rather than by position.
type part struct {
	label, key, value, hint string
}

func compareParts(ours, theirs []part) []Difference {
	var out []Difference
	used := make([]bool, len(theirs))
	for _, o := range ours {
		j := matchPart(theirs, used, o)
		switch {
		case j < 0:
			out = append(out, Difference{Part: o.label, Ours: o.value, Hint: o.hint + missingHint(o)})
		case theirs[j].value != o.value:
			used[j] = true
			out = append(out, Difference{Part: o.label, Ours: o.value, Theirs: theirs[j].value, Hint: o.hint})
		default:
			used[j] = true
		}
	}
	for j, t := range theirs {
		if !used[j] {
			out = append(out, Difference{Part: t.label, Theirs: t.value, Hint: t.hint + extraHint(t)})
		}
	}
	return out
}

func matchPart(theirs []part, used []bool, o part) int {
	for j, t := range theirs {
		if !used[j] && t.label == o.label && t.key == o.key {
			return j
		}
	}
	return -1
}

func missingHint(p part) string {
	if p.key == "" {
		return ""
	}
	return " (signed, but OSS did not receive it: the client must send it)"
}

func extraHint(p part) string {
	if p.key == "" {
		return ""
	}
	return " (OSS received it, but it was not signed: sign with it, or do not send it)"
}

const (
	hintMethod       = "the request was sent with another method than the one signed"
	hintContentMD5   = "the Content-MD5 sent differs from the one signed"
	hintContentType  = "the Content-Type sent differs from the one signed: browsers and upload libraries set their own, so send exactly the signed value (presign result headers), or sign with the type the client sends"
	hintDateV1       = "the date or Expires differs: the URL's Expires was edited, or x-oss-date was not sent as signed"
	hintHeader       = "a signed header differs: send every x-oss-* header, Content-Type and additional header exactly as signed"
	hintResourceV1   = "the bucket, key or signed sub-resources differ: the key must reach OSS as signed ('+' as %2B, never encoded twice), and signed parameters (response-*, x-oss-process, versionId, …) must not be added or changed after signing"
	hintURI          = "the path differs: the key must reach OSS as signed ('+' as %2B, space as %20, never encoded twice), with the right bucket and addressing"
	hintQueryV4      = "a query parameter differs: V4 signs every parameter, so none may be added, removed or changed after signing, and '+' in a value must be sent as %2B"
	hintAdditional   = "the additional-headers list differs from x-oss-additional-headers / AdditionalHeaders as sent"
	hintPayload      = "the payload hash differs: send x-oss-content-sha256: UNSIGNED-PAYLOAD only if it was signed"
	hintAlgorithm    = "the algorithm line differs: the request was sent with another signature version"
	hintTimestamp    = "the signing time differs: x-oss-date was changed after signing"
	hintScope        = "the credential scope (date/region/product) differs: sign with the bucket's bare region id (e.g. \"cn-hangzhou\", not \"oss-cn-hangzhou\" or an -internal name) and product oss"
	hintCanonicalSum = "the canonical request differs; OSS's error also carries it as <CanonicalRequest>: compare it to find the line"
)

// splitStringToSignV1 labels the lines of §1.1: verb, Content-MD5, Content-Type, date, the
// x-oss-* header lines and the resource.
func splitStringToSignV1(s string) []part {
	lines := split(s, '\n', -1)
	fixed := []part{{label: "method", hint: hintMethod}, {label: "Content-MD5", hint: hintContentMD5},
		{label: "Content-Type", hint: hintContentType}, {label: "date / Expires", hint: hintDateV1}}
	var out []part
	for i, l := range lines {
		switch {
		case i < len(fixed):
			p := fixed[i]
			p.value = l
			out = append(out, p)
		case i == len(lines)-1:
			out = append(out, part{label: "canonicalized resource", value: l, hint: hintResourceV1})
		default:
			out = append(out, headerPart(l))
		}
	}
	return out
}

func headerPart(line string) part {
	name, value, _ := cut(line, ':')
	return part{label: "header " + name, key: name, value: value, hint: hintHeader}
}

// splitCanonicalRequestV4 labels the lines of §2.2: method, URI, each query parameter, each
// header, the additional-headers list and the payload hash.
func splitCanonicalRequestV4(s string) []part {
	lines := split(s, '\n', -1)
	var out []part
	for i, l := range lines {
		switch {
		case i == 0:
			out = append(out, part{label: "method", value: l, hint: hintMethod})
		case i == 1:
			out = append(out, part{label: "canonical URI", value: l, hint: hintURI})
		case i == 2:
			for _, q := range split(l, '&', -1) {
				if q != "" {
					name, value, _ := cut(q, '=')
					out = append(out, part{label: "query parameter " + name, key: name, value: value, hint: queryHintV4(name)})
				}
			}
		case i == len(lines)-1:
			out = append(out, part{label: "hashed payload", value: l, hint: hintPayload})
		case i == len(lines)-2:
			out = append(out, part{label: "additional headers", value: l, hint: hintAdditional})
		case l != "":
			p := headerPart(l)
			if p.key == "content-type" {
				p.hint = hintContentType
			}
			out = append(out, p)
		}
	}
	return out
}

func queryHintV4(name string) string {
	switch name {
	case "x-oss-credential":
		return hintScope
	case "x-oss-date":
		return hintTimestamp
	}
	return hintQueryV4
}

// splitStringToSignV4 labels the lines of §2.3.
func splitStringToSignV4(s string) []part {
	labels := []part{{label: "algorithm", hint: hintAlgorithm}, {label: "timestamp", hint: hintTimestamp},
		{label: "scope", hint: hintScope}, {label: "canonical request hash", hint: hintCanonicalSum}}
	lines := split(s, '\n', len(labels))
	out := labels[:len(lines)]
	for i, l := range lines {
		out[i].value = l
	}
	return out
}
