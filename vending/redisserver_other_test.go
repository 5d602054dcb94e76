//go:build !linux

package vending

import "syscall"

// killedWithTest is nil where the kernel cannot kill a child with its parent: a test that
// ends without its cleanups leaves its redis-server running.
func killedWithTest() *syscall.SysProcAttr { return nil }
