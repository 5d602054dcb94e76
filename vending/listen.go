package vending

import (
	"errors"
	"net"
	"net/netip"
)

// loopbackOnlyAuthenticator is an Authenticator that is safe only on a loopback address:
// loopbackOnly says why, or returns "" when the address does not matter.
type loopbackOnlyAuthenticator interface {
	loopbackOnly() string
}

// Listen listens on addr (host:port), refusing a non-loopback address when the
// Authenticator is safe only on loopback: DevAnonymous, or ProxyHeader without trusted
// proxies. The address is checked before anything listens: a host name, 0.0.0.0 or [::] is
// not loopback; "localhost" and loopback IPs are.
func (s *Server) Listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if err := s.checkLoopback(isLoopbackHost(host), addr); err != nil {
		return nil, err
	}
	return net.Listen("tcp", addr)
}

// checkListener refuses a listener bound beyond loopback when the Authenticator needs it.
func (s *Server) checkListener(ln net.Listener) error {
	a, err := netip.ParseAddrPort(ln.Addr().String())
	return s.checkLoopback(err == nil && a.Addr().IsLoopback(), ln.Addr().String())
}

// checkLoopback returns the Authenticator's reason to refuse addr when it is not loopback.
func (s *Server) checkLoopback(loopback bool, addr string) error {
	guard, ok := s.cfg.Authenticator.(loopbackOnlyAuthenticator)
	if loopback || !ok || guard.loopbackOnly() == "" {
		return nil
	}
	return errors.New("vending: refusing to listen on " + addr + ": " + guard.loopbackOnly())
}
