package emulator

import (
	"cmp"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// allows evaluates the policy as RAM does: a matching Deny statement denies, else a matching
// Allow statement allows, else the request is denied. ctx holds the request's condition keys
// (lower-case names).
func (p *ramPolicy) allows(action, resource string, ctx map[string]string) bool {
	allowed := false
	for i := range p.statements {
		s := &p.statements[i]
		if !s.matches(action, resource, ctx) {
			continue
		}
		if s.deny {
			return false
		}
		allowed = true
	}
	return allowed
}

// matches reports whether the statement applies to the request.
func (s *ramStatement) matches(action, resource string, ctx map[string]string) bool {
	actionHit := anyMatch(s.actions, action, true)
	resourceHit := anyMatch(s.resources, resource, false)
	if actionHit == s.notAction || resourceHit == s.notResource {
		return false
	}
	for _, c := range s.conditions {
		if !c.holds(ctx) {
			return false
		}
	}
	return true
}

// anyMatch reports whether any pattern matches s (actions are case-insensitive).
func anyMatch(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if globMatch(p, s, fold) {
			return true
		}
	}
	return false
}

// holds evaluates the condition. An absent key satisfies only negated operators.
func (c *ramCondition) holds(ctx map[string]string) bool {
	v, ok := ctx[c.key]
	if !ok {
		return c.op.negated
	}
	hit := false
	for _, want := range c.values {
		if c.op.match(v, want) {
			hit = true
			break
		}
	}
	return hit != c.op.negated
}

// conditionOperator is one of RAM's condition operators.
type conditionOperator struct {
	// match compares the request's value with one policy value.
	match func(got, want string) bool
	// negated operators hold when no value matches.
	negated bool
}

// conditionOperators are RAM's condition operators, by lower-case name.
var conditionOperators = conditionOperatorTable()

// conditionOperatorTable builds conditionOperators: the String, Bool and IP operators, and the
// Numeric and Date families from their order comparisons.
func conditionOperatorTable() map[string]*conditionOperator {
	equal := func(g, w string) bool { return g == w }
	like := func(g, w string) bool { return globMatch(w, g, false) }
	ops := map[string]*conditionOperator{
		"stringequals":              {match: equal},
		"stringnotequals":           {match: equal, negated: true},
		"stringequalsignorecase":    {match: strings.EqualFold},
		"stringnotequalsignorecase": {match: strings.EqualFold, negated: true},
		"stringlike":                {match: like},
		"stringnotlike":             {match: like, negated: true},
		"bool":                      {match: strings.EqualFold},
		"ipaddress":                 {match: ipInRange},
		"notipaddress":              {match: ipInRange, negated: true},
	}
	orders := map[string]func(int) bool{
		"equals":            func(c int) bool { return c == 0 },
		"lessthan":          func(c int) bool { return c < 0 },
		"lessthanequals":    func(c int) bool { return c <= 0 },
		"greaterthan":       func(c int) bool { return c > 0 },
		"greaterthanequals": func(c int) bool { return c >= 0 },
	}
	parseNumber := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	parseDate := func(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }
	for suffix, test := range orders {
		ops["numeric"+suffix] = &conditionOperator{match: ordered(parseNumber, cmp.Compare[float64], test)}
		ops["date"+suffix] = &conditionOperator{match: ordered(parseDate, time.Time.Compare, test)}
	}
	for _, family := range []string{"numeric", "date"} {
		ops[family+"notequals"] = &conditionOperator{match: ops[family+"equals"].match, negated: true}
	}
	return ops
}

// ordered returns a matcher that parses both values and tests their order.
func ordered[T any](parse func(string) (T, error), compare func(T, T) int, test func(int) bool) func(got, want string) bool {
	return func(got, want string) bool {
		g, err1 := parse(got)
		w, err2 := parse(want)
		return err1 == nil && err2 == nil && test(compare(g, w))
	}
}

// ipInRange reports whether the IP got is want, an address or a CIDR prefix.
func ipInRange(got, want string) bool {
	ip, err := netip.ParseAddr(got)
	if err != nil {
		return false
	}
	if prefix, err := netip.ParsePrefix(want); err == nil {
		return prefix.Contains(ip.Unmap())
	}
	w, err := netip.ParseAddr(want)
	return err == nil && w.Unmap() == ip.Unmap()
}

// globMatch matches s against pattern, where "*" is any run of characters and "?" any one
// character, case-insensitively when fold is set.
func globMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi, mark = star+1, mark+1
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
