import { OssignError } from './errors.js';

// The Service Worker's configuration travels in the query of its script URL
// (ossign-sw.js?credentials=/sts&prefix=/oss/): the browser starts the worker again from that
// URL after stopping it, so the configuration survives restarts without any storage, and a
// new configuration is a new script URL, which the browser installs as an update.

/** The options of the worker's script URL, in the order registerServiceWorker writes them. */
export const WORKER_OPTIONS = ['credentials', 'prefix', 'auth', 'bucket', 'region', 'endpoint', 'signatureVersion', 'pathStyle', 'cname'];

/** Defaults of the worker's options. */
const WORKER_DEFAULTS = { credentials: '/sts', prefix: '/oss/', auth: 'cookie' };

/** A prefix: a path of plain segments between slashes ("/oss/", "/files/private/"). */
const PREFIX_PATTERN = /^\/(?:[A-Za-z0-9._~-]+\/)*$/;

/**
 * The script URL of the worker for the given options: scriptURL with the options in its query,
 * in a fixed order (the same options always give the same URL, so the browser reinstalls the
 * worker only when they change). Booleans become "1"; undefined options are left out.
 * @param {string|URL} scriptURL
 * @param {Record<string, string|boolean|undefined>} options
 */
export function workerScriptURL(scriptURL, options) {
  const url = new URL(scriptURL, globalThis.location?.href);
  for (const name of Object.keys(options)) {
    if (!WORKER_OPTIONS.includes(name)) throw new OssignError('InvalidArgument', `unknown Service Worker option "${name}": use ${WORKER_OPTIONS.join(', ')}, script, scope or token`);
  }
  for (const name of WORKER_OPTIONS) {
    const value = options[name];
    if (value === undefined || value === false) continue;
    url.searchParams.set(name, value === true ? '1' : String(value));
  }
  return url;
}

/**
 * Reads the worker's configuration from its own URL (self.location): the client options, the
 * vending URL, the prefix it answers (an absolute path on the worker's origin) and how it
 * authenticates to the vending server ("cookie": same-origin cookies; "bearer": a token pages
 * hand over). Throws on an unknown option or a bad value, so that a misconfigured worker fails
 * to install instead of answering wrongly.
 * @param {URL|Location} location
 */
export function readWorkerConfig(location) {
  const params = new URLSearchParams(location.search);
  const options = { ...WORKER_DEFAULTS };
  for (const [name, value] of params) {
    if (!WORKER_OPTIONS.includes(name)) throw new OssignError('InvalidArgument', `ossign-sw.js: unknown option "${name}" in its URL: use ${WORKER_OPTIONS.join(', ')}`);
    options[name] = value;
  }
  if (!PREFIX_PATTERN.test(options.prefix) || options.prefix === '/') {
    throw new OssignError('InvalidArgument', `ossign-sw.js: prefix must be a path such as /oss/ (segments of letters, digits, . _ ~ -, starting and ending with /), not "${options.prefix}"`);
  }
  if (options.auth !== 'cookie' && options.auth !== 'bearer') {
    throw new OssignError('InvalidArgument', `ossign-sw.js: auth must be "cookie" or "bearer", not "${options.auth}"`);
  }
  const flag = (v) => v === '1' || v === 'true';
  return {
    credentials: new URL(options.credentials, location.href).href,
    prefix: options.prefix,
    auth: options.auth,
    client: {
      bucket: options.bucket,
      region: options.region,
      endpoint: options.endpoint,
      signatureVersion: options.signatureVersion,
      pathStyle: flag(options.pathStyle),
      cname: flag(options.cname),
    },
  };
}
