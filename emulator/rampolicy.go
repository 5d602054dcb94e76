package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ramPolicy is a RAM policy document, as AssumeRole takes one for a session policy:
//
//	{"Version": "1", "Statement": [{"Effect": "Allow"|"Deny", "Action": …, "Resource": …,
//	  "Condition": {"StringLike": {"oss:Prefix": ["users/42/*"]}}}]}
//
// Action, NotAction, Resource and NotResource take a string or a list of strings.
type ramPolicy struct {
	statements []ramStatement
}

// ramStatement is one statement of a policy.
type ramStatement struct {
	deny        bool
	actions     []string
	notAction   bool
	resources   []string
	notResource bool
	conditions  []ramCondition
}

// ramCondition is one operator applied to one condition key: true when the request's value
// matches any of values (for a negated operator: none of them).
type ramCondition struct {
	op     *conditionOperator
	key    string // lower-case
	values []string
}

// actionPattern is "*" or "<service>:<action>", with wildcards.
var actionPattern = regexp.MustCompile(`^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$`)

// parseRAMPolicy parses and checks a policy document. Its errors describe the grammar problem.
func parseRAMPolicy(doc string) (*ramPolicy, error) {
	var raw struct {
		Version   string
		Statement []map[string]json.RawMessage
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("the policy is not a JSON object of Version and Statement: %v", err)
	}
	if dec.More() {
		return nil, errors.New("the policy has data after its JSON object")
	}
	if raw.Version != "1" {
		return nil, errors.New(`the policy Version must be "1"`)
	}
	if len(raw.Statement) == 0 {
		return nil, errors.New("the policy has no Statement")
	}
	p := &ramPolicy{}
	for i, fields := range raw.Statement {
		s, err := parseStatement(fields)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %v", i+1, err)
		}
		p.statements = append(p.statements, s)
	}
	return p, nil
}

// parseStatement parses one statement's fields.
func parseStatement(fields map[string]json.RawMessage) (ramStatement, error) {
	var s ramStatement
	for name := range fields {
		switch name {
		case "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition":
		default:
			return s, fmt.Errorf("unknown field %q", name)
		}
	}
	var effect string
	if err := json.Unmarshal(fields["Effect"], &effect); err != nil || (effect != "Allow" && effect != "Deny") {
		return s, errors.New(`the Effect must be "Allow" or "Deny"`)
	}
	s.deny = effect == "Deny"
	var err error
	if s.actions, s.notAction, err = stringListField(fields, "Action", "NotAction"); err != nil {
		return s, err
	}
	for _, a := range s.actions {
		if !actionPattern.MatchString(a) {
			return s, fmt.Errorf("action %q is not <service>:<action>", a)
		}
	}
	if s.resources, s.notResource, err = stringListField(fields, "Resource", "NotResource"); err != nil {
		return s, err
	}
	for _, r := range s.resources {
		if r != "*" && !strings.HasPrefix(r, "acs:") {
			return s, fmt.Errorf("resource %q is neither * nor acs:…", r)
		}
	}
	if raw, ok := fields["Condition"]; ok {
		if s.conditions, err = parseConditions(raw); err != nil {
			return s, err
		}
	}
	return s, nil
}

// stringListField reads exactly one of the fields name and notName, each a string or a
// non-empty list of strings.
func stringListField(fields map[string]json.RawMessage, name, notName string) ([]string, bool, error) {
	raw, has := fields[name]
	notRaw, hasNot := fields[notName]
	if has == hasNot {
		return nil, false, fmt.Errorf("exactly one of %s and %s is required", name, notName)
	}
	field := name
	if hasNot {
		raw, field = notRaw, notName
	}
	list, err := stringOrList(raw)
	if err != nil || len(list) == 0 {
		return nil, false, fmt.Errorf("%s must be a string or a non-empty list of strings", field)
	}
	return list, hasNot, nil
}

// stringOrList decodes a JSON string or list of strings.
func stringOrList(raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	err := json.Unmarshal(raw, &list)
	return list, err
}

// parseConditions decodes {"<operator>": {"<key>": value or [values]}}; values may be strings,
// numbers or booleans.
func parseConditions(raw json.RawMessage) ([]ramCondition, error) {
	var block map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &block); err != nil {
		return nil, errors.New("the Condition must be {operator: {key: value}}")
	}
	var out []ramCondition
	for opName, keys := range block {
		op := conditionOperators[strings.ToLower(opName)]
		if op == nil {
			return nil, fmt.Errorf("unknown condition operator %q", opName)
		}
		for key, v := range keys {
			values, err := scalarList(v)
			if err != nil || len(values) == 0 {
				return nil, fmt.Errorf("condition %s %s: values must be strings, numbers or booleans", opName, key)
			}
			out = append(out, ramCondition{op: op, key: strings.ToLower(key), values: values})
		}
	}
	return out, nil
}

// scalarList decodes a JSON scalar or list of scalars to their text.
func scalarList(raw json.RawMessage) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		items = []json.RawMessage{raw}
	}
	out := make([]string, len(items))
	for i, item := range items {
		item = bytes.TrimSpace(item)
		var s string
		switch {
		case json.Unmarshal(item, &s) == nil:
			out[i] = s
		case len(item) > 0 && (item[0] == 't' || item[0] == 'f' || item[0] == '-' || item[0] >= '0' && item[0] <= '9'):
			out[i] = string(item)
		default:
			return nil, errors.New("not a scalar")
		}
	}
	return out, nil
}
