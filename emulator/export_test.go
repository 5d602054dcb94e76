package emulator

// SetCrashHook sets crashHook (diskio.go): the crash-safety test's child process kills itself
// at a chosen step.
func SetCrashHook(hook func(step string)) { crashHook = hook }
