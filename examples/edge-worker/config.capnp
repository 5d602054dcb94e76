# workerd configuration of the edge recipe. From the repository root, after ./build.sh build
# (dist/) and npm ci in js/ (workerd):
#
#   OSS_ACCESS_KEY_ID=… OSS_ACCESS_KEY_SECRET=… OSS_BUCKET=… OSS_REGION=cn-hangzhou \
#   JWT_HS256_SECRET=… JWT_ISSUER=… JWT_AUDIENCE=… \
#   js/node_modules/.bin/workerd serve examples/edge-worker/config.capnp
#
# Every setting comes from the environment (fromEnvironment); see README.md beside this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "edge-sign", worker = .signWorker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "edge-sign")],
);

const signWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "jwt.mjs", esModule = embed "jwt.mjs"),
    # The package's workerd build (its exports' "workerd" condition) and the wasm module it
    # imports as "./ossign.wasm". In your project: node_modules/ossign/….
    (name = "ossign", esModule = embed "../../dist/ossign.workerd.mjs"),
    (name = "ossign.wasm", wasm = embed "../../dist/ossign.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "OSS_ACCESS_KEY_ID", fromEnvironment = "OSS_ACCESS_KEY_ID"),
    (name = "OSS_ACCESS_KEY_SECRET", fromEnvironment = "OSS_ACCESS_KEY_SECRET"),
    (name = "OSS_BUCKET", fromEnvironment = "OSS_BUCKET"),
    (name = "OSS_REGION", fromEnvironment = "OSS_REGION"),
    (name = "OSS_ENDPOINT", fromEnvironment = "OSS_ENDPOINT"),
    (name = "PREFIX", fromEnvironment = "PREFIX"),
    (name = "SIGN_METHODS", fromEnvironment = "SIGN_METHODS"),
    (name = "MAX_EXPIRES_SECONDS", fromEnvironment = "MAX_EXPIRES_SECONDS"),
    (name = "JWT_HS256_SECRET", fromEnvironment = "JWT_HS256_SECRET"),
    (name = "JWT_PUBLIC_JWK", fromEnvironment = "JWT_PUBLIC_JWK"),
    (name = "JWT_ISSUER", fromEnvironment = "JWT_ISSUER"),
    (name = "JWT_AUDIENCE", fromEnvironment = "JWT_AUDIENCE"),
    (name = "ALLOWED_ORIGINS", fromEnvironment = "ALLOWED_ORIGINS"),
  ],
);
