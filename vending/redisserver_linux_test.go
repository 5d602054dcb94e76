package vending

import "syscall"

// killedWithTest makes a test's redis-server die with the test process, even when the test
// binary ends without running its cleanups (a panic, a -timeout).
func killedWithTest() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
