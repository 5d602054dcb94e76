//go:build js && wasm

// Command wasm is the ossign WebAssembly module: it binds package signer to JavaScript.
//
// Setup calls (clients, credentials, PostObject, diagnosis) go through syscall/js; the hot
// signing calls (presigned URLs and Authorization headers) go through //go:wasmexport
// functions and a byte buffer in linear memory, which costs a fraction of a syscall/js call.
// The JS package (js/) is the only intended caller; its loader sets globalThis.__ossignInit
// before starting the module, and main hands it the API object.
package main

import "syscall/js"

func main() {
	init := js.Global().Get("__ossignInit")
	if init.Type() != js.TypeFunction {
		js.Global().Get("console").Call("error", "ossign.wasm: load it through the ossign JS package (no __ossignInit callback)")
		return
	}
	init.Invoke(api())
	select {} // keep the module alive for callbacks and exports
}
