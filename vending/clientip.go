package vending

import (
	"net/http"
	"net/netip"
	"strings"
)

// peerAddr returns the address of the connection's peer.
func peerAddr(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap(), true
}

// containsAddr reports whether one of prefixes contains a.
func containsAddr(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP returns the client's address: the peer, or, when the peer is a trusted proxy, the
// right-most X-Forwarded-For entry that is not one (entries further left could be forged by
// the client). The zero Addr means the address is unknown.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, ok := peerAddr(r)
	if !ok || !containsAddr(trusted, peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap()
		if !containsAddr(trusted, client) {
			break
		}
	}
	return client
}

// rateKey is the per-IP rate-limit key of a: IPv4 addresses count one by one, IPv6 per /64
// (one subscriber's allocation).
func rateKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
