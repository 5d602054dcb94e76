package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// listenLoopback listens on addr, which must name a loopback host: ossign dev hands
// credentials to any browser that asks, so it never listens beyond this machine. A port in use
// is an error that says how to choose another.
func listenLoopback(addr string) (net.Listener, error) {
	if host, _, err := net.SplitHostPort(addr); err != nil || !isLoopback(host) {
		return nil, fmt.Errorf("-addr %q: ossign dev serves anonymous credentials, so it listens on loopback only (127.0.0.1:PORT)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s is already in use (another ossign dev?): choose another port with -addr 127.0.0.1:9000, or let the system pick a free one with -addr 127.0.0.1:0", addr)
	}
	return ln, err
}

func isLoopback(host string) bool {
	ip, err := netip.ParseAddr(host)
	return host == "localhost" || err == nil && ip.IsLoopback()
}

// pageOrigins are the origins the demo page may be opened at: the listener's address as
// printed, and localhost on the same port (the vending server's and the emulator's CORS
// rules allow both).
func pageOrigins(ln net.Listener) []string {
	addr := ln.Addr().(*net.TCPAddr)
	return []string{"http://" + addr.String(), fmt.Sprintf("http://localhost:%d", addr.Port)}
}
