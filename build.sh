#!/usr/bin/env bash
# ossign's only entry points: build, dev, test, bench.
# Each sets up what it needs on a fresh machine (Go modules come from the module proxy).
set -euo pipefail
cd "$(dirname "$0")"

# Packages with fuzz targets, and the targets, run briefly by `test`.
FUZZ_TARGETS=(
  "./signer FuzzURIEncode"
  "./signer FuzzCanonicalQuery"
  "./signer FuzzPresign"
  "./signer/wire FuzzParseVending"
  "./signer/wire FuzzParseAssumeRole"
  "./signer/wire FuzzParseOSSError"
)
# A count, not a duration: duration-based -fuzztime fails spuriously with "context deadline
# exceeded" at the deadline on Go 1.26 (golang/go#75804).
FUZZ_TIME=${FUZZ_TIME:-60000x}

# apt_get runs apt-get, waiting up to 10 minutes for the package manager's lock when another
# process holds it (a fresh machine often runs its own apt at boot).
apt_get() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  local tries=0
  until DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=60 "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 10 ]; then
      echo "apt-get $*: still failing after $tries tries" >&2
      return 1
    fi
    echo "apt-get $*: failed (lock held?), trying again in 5 s" >&2
    sleep 5
  done
}

# ensure_package installs a Debian package when its command is missing.
ensure_package() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return
  echo "== installing $package (apt-get)"
  apt_get update -qq
  apt_get install -y -qq "$package" >/dev/null
}

# ensure_chromium installs Debian's chromium when it is missing (the browser tests need it).
ensure_chromium() {
  ensure_package chromium chromium
}

# ensure_node_modules installs the JS dev dependencies (ali-oss, esbuild, typescript) from the
# lockfile, trying a second time when the registry fails the first.
ensure_node_modules() {
  if [ ! -d js/node_modules ] || [ js/package-lock.json -nt js/node_modules ]; then
    echo "== npm ci (js/)"
    (cd js && { npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed; trying once more" >&2; sleep 5; npm ci --no-audit --no-fund --loglevel=error; }; })
  fi
}

# The wasm module is built by the Go toolchain named in wasm/GOTOOLCHAIN (README: "Which Go
# builds ossign.wasm"); the go command fetches it from the module proxy on first use. Its tests
# run under Node with the same toolchain and that toolchain's go_js_wasm_exec.
WASM_GOTOOLCHAIN=$(<wasm/GOTOOLCHAIN)

# wasm_go runs the go command for js/wasm with the module's toolchain.
wasm_go() {
  local goroot
  goroot=$(GOTOOLCHAIN="$WASM_GOTOOLCHAIN" go env GOROOT)
  PATH="$PATH:$goroot/lib/wasm" GOTOOLCHAIN="$WASM_GOTOOLCHAIN" GOOS=js GOARCH=wasm go "$@"
}

cmd_build() {
  echo "== building dist/"
  go run ./cmd/bundle -out dist
}

# cmd_dev builds dist/ and runs `ossign dev`: the emulator, the vending server in dev-anonymous
# mode and the demo page, on 127.0.0.1 (extra arguments go to `ossign dev`, e.g. -addr).
cmd_dev() {
  cmd_build
  go run ./cmd/ossign dev "$@"
}

usage() {
  cat <<'USAGE'
usage: ./build.sh <command>
  build   build the wasm module and the JS package into dist/
  dev     run the demo, the vending server and the local emulator on 127.0.0.1
  test    run every test (installs what it needs)
  bench   run the benchmarks
USAGE
}

cmd_test() {
  ensure_chromium
  ensure_package redis-server redis-server
  ensure_node_modules
  cmd_build
  echo "== go vet"
  go vet ./...
  wasm_go vet ./wasm
  echo "== gofmt"
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
  if [ -n "$unformatted" ]; then
    echo "gofmt would change: $unformatted" >&2
    return 1
  fi
  echo "== go test"
  go test -count=1 ./...
  echo "== signer and fast-path tests compiled to wasm, run by Node (the wasm build's own SHA-256/SHA-1/HMAC)"
  wasm_go test -count=1 \
    -run 'Vector|PostObject|Endpoint|Diagnose|Validation|Expiry|Refresh|TimeFormats|Digest|Differential|ReusedSigner|CRC64|Quote|Itoa|FastPath' ./signer ./wasm
  echo "== go test -race (emulator, vending, ossign; the signer's shared Signer)"
  go test -race -count=1 ./emulator/... ./vending/... ./cmd/ossign/
  go test -race -count=1 -run 'ReusedSigner' ./signer
  echo "== node --test"
  node --test js/test/*.test.mjs
  echo "== fuzz (${FUZZ_TIME} each)"
  local entry pkg target
  for entry in "${FUZZ_TARGETS[@]}"; do
    read -r pkg target <<<"$entry"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZ_TIME" "$pkg"
  done
}

# cmd_bench runs the benchmarks and writes BENCHMARKS.md with its charts (docs/benchmarks/):
# cmd/benchreport runs them (Go native and wasm, vending, headless Chromium next to ali-oss)
# and puts every figure next to its reference from the same run.
cmd_bench() {
  ensure_chromium
  ensure_package redis-server redis-server
  ensure_node_modules
  cmd_build >/dev/null
  echo "== ossign.wasm by Go package (bytes; ≈br: estimated share of the brotli download)"
  go run ./cmd/bundle -size-report
  echo "== ossign.wasm start-up in Node (fresh process per run)"
  node wasm/startup_bench.mjs dist 21
  go run ./cmd/benchreport -out BENCHMARKS.md
}

case "${1:-}" in
  test) cmd_test ;;
  bench) cmd_bench ;;
  build) cmd_build ;;
  dev) cmd_dev "${@:2}" ;;
  -h|--help|help|"") usage ;;
  *) usage >&2; exit 2 ;;
esac
