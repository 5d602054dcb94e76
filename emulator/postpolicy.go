package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
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

// errInvalidPolicy is 400 InvalidPolicyDocument.
func errInvalidPolicy(why string) *ossError {
	return newOSSError(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: "+why)
}

// errPolicyViolation is 403 AccessDenied for a form the policy does not allow.
func errPolicyViolation(why string) *ossError {
	return errAccessDenied("Invalid according to Policy: " + why)
}

// parsePostPolicy decodes the base64 policy form field.
func parsePostPolicy(b64 string) (*postPolicy, error) {
	doc, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, errInvalidPolicy("the policy field is not Base64.")
	}
	var raw struct {
		Expiration *string           `json:"expiration"`
		Conditions []json.RawMessage `json:"conditions"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		return nil, errInvalidPolicy("the policy is not a JSON object.")
	}
	if raw.Expiration == nil {
		return nil, errInvalidPolicy("the policy has no expiration.")
	}
	p := &postPolicy{}
	if p.expiration, err = time.Parse(time.RFC3339, *raw.Expiration); err != nil {
		return nil, errInvalidPolicy("expiration " + strconv.Quote(*raw.Expiration) + " is not an ISO 8601 UTC time such as 2023-12-03T13:00:00.000Z.")
	}
	for _, c := range raw.Conditions {
		if err := p.addCondition(c); err != nil {
			return nil, errInvalidPolicy(fmt.Sprintf("condition %s: %v", c, err))
		}
	}
	return p, nil
}

// addCondition parses one condition: {"field": "value"} or [op, "$field", value(s)], or
// ["content-length-range", min, max].
func (p *postPolicy) addCondition(raw json.RawMessage) error {
	var exact map[string]json.RawMessage
	if json.Unmarshal(raw, &exact) == nil {
		for field, v := range exact {
			values, err := scalarList(v)
			if err != nil || len(values) != 1 {
				return errors.New("an exact-match value must be a string")
			}
			p.conditions = append(p.conditions, postCondition{op: "eq", field: strings.ToLower(field), values: values, text: string(raw)})
		}
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || len(list) != 3 {
		return errors.New("a condition is an object or a list of three elements")
	}
	var op string
	if err := json.Unmarshal(list[0], &op); err != nil {
		return errors.New("the operator must be a string")
	}
	op = strings.ToLower(op)
	if op == "content-length-range" {
		lo, err1 := strconv.ParseInt(string(list[1]), 10, 64)
		hi, err2 := strconv.ParseInt(string(list[2]), 10, 64)
		if err1 != nil || err2 != nil || lo < 0 || hi < lo {
			return errors.New("content-length-range needs two integers, min ≤ max")
		}
		p.sizeMin, p.sizeMax, p.hasSize = lo, hi, true
		return nil
	}
	var field string
	if err := json.Unmarshal(list[1], &field); err != nil || !strings.HasPrefix(field, "$") {
		return errors.New(`the field must be a string starting with "$"`)
	}
	c := postCondition{op: op, field: strings.ToLower(field[1:]), text: string(raw)}
	var err error
	switch op {
	case "eq", "starts-with":
		var v string
		err = json.Unmarshal(list[2], &v)
		c.values = []string{v}
	case "in", "not-in":
		err = json.Unmarshal(list[2], &c.values)
	default:
		return fmt.Errorf("unknown operator %q", op)
	}
	if err != nil {
		return fmt.Errorf("bad value for %s", op)
	}
	p.conditions = append(p.conditions, c)
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

// unconditionedFields are the form fields a policy need not name: the file, the policy and
// what authenticates it (the signatures, V1's OSSAccessKeyId and the STS token, which a V4
// policy must name anyway), the bucket (checked against the bucket the form is posted to) and
// the key (a policy may leave it open).
var unconditionedFields = []string{"file", "policy", "signature", "ossaccesskeyid", "x-oss-signature", "x-oss-security-token", "bucket", "key"}

// checkNamed refuses a form that sends a field no condition names. This is the emulator's
// enforcement of OSS's PostObject policy, in its conservative reading, the rule S3 documents
// for POST policies (OSS documents similar semantics for its conditions): every form field
// but unconditionedFields must appear in a condition, else the upload is refused with
// AccessDenied "Invalid according to Policy: Extra input fields: <names>". So a form signed
// for a key and a type cannot also set x-oss-object-acl, Content-Disposition,
// success_action_redirect or metadata of the uploader's choosing.
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
