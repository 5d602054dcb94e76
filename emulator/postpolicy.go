package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// postPolicy is a PostObject policy (spec §3.1):
//
//	{"expiration": "2023-12-03T13:00:00.000Z", "conditions": [
//	  {"bucket": "b"}, ["eq", "$key", "k"], ["starts-with", "$key", "users/42/"],
//	  ["in", "$content-type", ["image/png"]], ["not-in", "$cache-control", ["no-cache"]],
//	  ["content-length-range", 1, 1048576]]}
type postPolicy struct {
	expiration time.Time
	conditions []postCondition
	// sizeMin and sizeMax are the content-length-range, when hasSize.
	sizeMin, sizeMax int64
	hasSize          bool
}

// postCondition is one field condition of a policy.
type postCondition struct {
	// op is eq, starts-with, in or not-in.
	op string
	// field is the lower-case field name, without "$".
	field  string
	values []string
	// text is the condition as written, for error messages.
	text string
}

// errInvalidPolicy is 400 InvalidPolicyDocument, OSS's answer to a policy it cannot read
// (https://www.alibabacloud.com/help/en/oss/how-to-handle-common-errors-when-the-postobject-operation-is-called),
// with the EC of the cause when OSS documents one ("" when not).
func errInvalidPolicy(why, ec string) *ossError {
	e := newOSSError(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: "+why)
	if ec != "" {
		e = e.withEC(ec)
	}
	return e
}

// errPolicyViolation is 403 AccessDenied for a form the policy does not allow.
func errPolicyViolation(why string) *ossError {
	return errAccessDenied("Invalid according to Policy: " + why)
}

// parsePostPolicy decodes the base64 policy form field.
func parsePostPolicy(b64 string) (*postPolicy, error) {
	doc, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, errInvalidPolicy("the policy field is not Base64.", "")
	}
	if !utf8.Valid(doc) {
		return nil, errInvalidPolicy("the policy is not UTF-8 text.", ecPolicyNotUTF8)
	}
	var raw struct {
		Expiration *string          `json:"expiration"`
		Conditions *json.RawMessage `json:"conditions"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		return nil, errInvalidPolicy("the policy is not a JSON object.", "")
	}
	if raw.Expiration == nil {
		return nil, errInvalidPolicy("the policy has no expiration.", "")
	}
	p := &postPolicy{}
	if p.expiration, err = time.Parse(time.RFC3339, *raw.Expiration); err != nil {
		return nil, errInvalidPolicy("expiration "+strconv.Quote(*raw.Expiration)+" is not an ISO 8601 UTC time such as 2023-12-03T13:00:00.000Z.", "")
	}
	var conditions []json.RawMessage
	switch {
	case raw.Conditions == nil:
		return nil, errInvalidPolicy("the policy has no conditions.", ecPolicyNoConditions)
	case json.Unmarshal(*raw.Conditions, &conditions) != nil:
		return nil, errInvalidPolicy("conditions must be a list.", ecPolicyConditionsNotList)
	case len(conditions) == 0:
		return nil, errInvalidPolicy("conditions must not be empty.", ecPolicyConditionsEmpty)
	}
	for _, c := range conditions {
		if err := p.addCondition(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// addCondition parses one condition: {"field": "value"} or [op, "$field", value(s)], or
// ["content-length-range", min, max].
func (p *postPolicy) addCondition(raw json.RawMessage) error {
	bad := func(why, ec string) error { return errInvalidPolicy("condition "+string(raw)+": "+why, ec) }
	var exact map[string]json.RawMessage
	if json.Unmarshal(raw, &exact) == nil {
		if len(exact) != 1 {
			return errInvalidPolicy("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.", "")
		}
		for field, v := range exact {
			var value string
			if json.Unmarshal(v, &value) != nil {
				return bad("an exact-match value must be a string.", ecPolicyConditionType)
			}
			p.conditions = append(p.conditions, postCondition{op: "eq", field: strings.ToLower(field), values: []string{value}, text: string(raw)})
		}
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return bad("a condition is an object or a list.", ecPolicyConditionShape)
	}
	var op string
	if len(list) == 0 || json.Unmarshal(list[0], &op) != nil || strings.HasPrefix(op, "$") {
		return bad("a list condition starts with its matching mode (eq, starts-with, in, not-in or content-length-range).", ecPolicyConditionNoMode)
	}
	op = strings.ToLower(op)
	switch op {
	case "content-length-range":
		return p.addSizeRange(list, bad)
	case "eq", "starts-with", "in", "not-in":
	default:
		return bad("unknown matching mode "+strconv.Quote(op)+".", ecPolicyConditionMode)
	}
	if len(list) != 3 {
		return bad(op+" takes a field and a value, no more.", ecPolicyConditionValue)
	}
	c := postCondition{op: op, text: string(raw)}
	if op == "in" || op == "not-in" {
		if json.Unmarshal(list[2], &c.values) != nil {
			return bad(op+" takes a list of values.", ecPolicyConditionType)
		}
	} else {
		var v string
		if json.Unmarshal(list[2], &v) != nil {
			return bad(op+" takes a string value.", ecPolicyConditionType)
		}
		c.values = []string{v}
	}
	var field string
	if json.Unmarshal(list[1], &field) != nil || !strings.HasPrefix(field, "$") {
		return bad(`the field must be a string starting with "$".`, ecPolicyConditionValue)
	}
	c.field = strings.ToLower(field[1:])
	p.conditions = append(p.conditions, c)
	return nil
}

// addSizeRange parses ["content-length-range", min, max]: integers, 0 ≤ min ≤ max.
func (p *postPolicy) addSizeRange(list []json.RawMessage, bad func(why, ec string) error) error {
	if len(list) != 3 {
		return bad("content-length-range takes a minimum and a maximum.", ecPolicyLengthRange)
	}
	lo, err1 := strconv.ParseInt(string(list[1]), 10, 64)
	hi, err2 := strconv.ParseInt(string(list[2]), 10, 64)
	if err1 != nil || err2 != nil || lo < 0 || hi < lo {
		return bad("content-length-range needs two integers, min ≤ max.", ecPolicyLengthRange)
	}
	p.sizeMin, p.sizeMax, p.hasSize = lo, hi, true
	return nil
}

// check evaluates the field conditions against the form (lower-case field names; "bucket"
// included). A field the form lacks has the value "".
func (p *postPolicy) check(fields map[string]string) error {
	for _, c := range p.conditions {
		v := fields[c.field]
		var ok bool
		switch c.op {
		case "eq":
			ok = v == c.values[0]
		case "starts-with":
			ok = strings.HasPrefix(v, c.values[0])
		case "in":
			ok = slices.Contains(c.values, v)
		case "not-in":
			ok = !slices.Contains(c.values, v)
		}
		if !ok {
			return errPolicyViolation("Policy Condition failed: " + c.text)
		}
	}
	return nil
}

// unconditionedFields are the form fields a policy need not name under the strict rule: the
// file, the policy and what authenticates it (the signatures, V1's OSSAccessKeyId and the STS
// token, which a V4 policy must name anyway), the bucket (checked against the bucket the form
// is posted to) and the key (a policy may leave it open).
var unconditionedFields = []string{"file", "policy", "signature", "ossaccesskeyid", "x-oss-signature", "x-oss-security-token", "bucket", "key"}

// checkNamed is the strict rule (Config.StrictPost), S3's for POST policies and not OSS's: it
// refuses a form that sends a field no condition names, other than unconditionedFields, with
// AccessDenied "Invalid according to Policy: Extra input fields: <names>". OSS itself accepts
// such fields and applies them (its documentation's sample forms send fields their policies do
// not name).
func (p *postPolicy) checkNamed(sent []string) error {
	var extra []string
	for _, name := range sent {
		named := slices.ContainsFunc(p.conditions, func(c postCondition) bool { return c.field == name })
		if !named && !slices.Contains(unconditionedFields, name) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return errPolicyViolation("Extra input fields: " + strings.Join(extra, ", "))
	}
	return nil
}

// hasExact reports whether the policy requires field to equal value exactly.
func (p *postPolicy) hasExact(field, value string) bool {
	return slices.ContainsFunc(p.conditions, func(c postCondition) bool {
		return c.op == "eq" && c.field == field && c.values[0] == value
	})
}

// checkSize enforces content-length-range on the uploaded size.
func (p *postPolicy) checkSize(size int64) error {
	switch {
	case !p.hasSize:
		return nil
	case size > p.sizeMax:
		return newOSSError(http.StatusBadRequest, "EntityTooLarge",
			fmt.Sprintf("Your proposed upload exceeds the maximum allowed size of the policy's content-length-range (%d bytes).", p.sizeMax))
	case size < p.sizeMin:
		return newOSSError(http.StatusBadRequest, "EntityTooSmall",
			fmt.Sprintf("Your proposed upload is smaller than the minimum allowed size of the policy's content-length-range (%d bytes).", p.sizeMin))
	}
	return nil
}
