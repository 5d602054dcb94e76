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
FUZZ_TIME=${FUZZ_TIME:-10s}

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
  echo "== go vet"
  go vet ./...
  echo "== gofmt"
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
  if [ -n "$unformatted" ]; then
    echo "gofmt would change: $unformatted" >&2
    return 1
  fi
  echo "== go test"
  go test -count=1 ./...
  echo "== fuzz (${FUZZ_TIME} each)"
  local entry pkg target
  for entry in "${FUZZ_TARGETS[@]}"; do
    read -r pkg target <<<"$entry"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZ_TIME" "$pkg"
  done
}

cmd_bench() {
  go test -run='^$' -bench=. -benchmem ./signer/...
}

not_yet() {
  echo "./build.sh $1: nothing to $1 yet (it arrives with the $2 issue)" >&2
  exit 2
}

case "${1:-}" in
  test) cmd_test ;;
  bench) cmd_bench ;;
  build) not_yet build "WebAssembly module and JS package" ;;
  dev) not_yet dev "token-vending server" ;;
  -h|--help|help|"") usage ;;
  *) usage >&2; exit 2 ;;
esac
