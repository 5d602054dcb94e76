//go:build !linux

package runtimetest

import "syscall"

// killedWithTest is nil where the kernel cannot kill a child with its parent: a test that
// ends without its cleanups leaves its runtime process running.
func killedWithTest() *syscall.SysProcAttr { return nil }
