package runtimetest

import "syscall"

// killedWithTest makes the kernel kill a runtime's process when the test binary dies, even
// after a -timeout panic that skips the cleanups.
func killedWithTest() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
