// The edge recipe: the smallest vending endpoint, without the Go server. `GET /sign?key=…`
// answers a presigned URL for the caller a JWT names, under that caller's own prefix
// (<PREFIX><sub>/<key>). The AccessKey stays in the worker; the page gets one URL at a time.
// A recipe for Cloudflare Workers (workerd): `ossign vend` stays the full product (STS
// credentials scoped by a session policy, POST policies, rate limits, Redis, metrics).
import { createClient } from 'ossign';
import { verificationKey, verifyJWT, TokenError } from './jwt.mjs';

/** The methods a URL may be signed for (SIGN_METHODS narrows them). */
const METHODS = ['GET', 'PUT', 'HEAD'];
/** A user id becomes a path segment: no '/', and not '.' or '..'. */
const USER_ID = /^(?!\.\.?$)[A-Za-z0-9._@-]{1,128}$/;

// One signing client and one verification key per isolate, made by the first request: the
// wasm's Go runtime draws random numbers as it starts, which workerd allows only in a request.
let signing;
let verifying;

export default {
  async fetch(request, env) {
    const cors = corsHeaders(request, env);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
    const url = new URL(request.url);
    if (url.pathname !== '/sign') return answer(404, { Code: 'NotFound', Message: 'GET /sign?key=…' }, cors);
    if (request.method !== 'GET') return answer(405, { Code: 'MethodNotAllowed', Message: 'GET /sign?key=…' }, { ...cors, Allow: 'GET, OPTIONS' });

    let user;
    try {
      user = await authenticate(request, env);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      return answer(401, { Code: 'Unauthorized', Message: err.message }, { ...cors, 'WWW-Authenticate': 'Bearer' });
    }

    const key = url.searchParams.get('key') ?? '';
    const method = (url.searchParams.get('method') ?? 'GET').toUpperCase();
    const allowed = (env.SIGN_METHODS ?? METHODS.join(',')).split(',').map((m) => m.trim().toUpperCase()).filter((m) => METHODS.includes(m));
    if (!allowed.includes(method)) return answer(400, { Code: 'InvalidArgument', Message: `method must be one of ${allowed.join(', ')}` }, cors);
    const maxExpires = Number(env.MAX_EXPIRES_SECONDS ?? 900);
    const expires = Number(url.searchParams.get('expires') ?? Math.min(600, maxExpires));
    if (!Number.isInteger(expires) || expires < 1 || expires > maxExpires) {
      return answer(400, { Code: 'InvalidArgument', Message: `expires must be 1–${maxExpires} seconds` }, cors);
    }
    const options = { method, expires };
    const contentType = url.searchParams.get('contentType');
    if (method === 'PUT' && contentType) options['Content-Type'] = contentType;

    if (key === '') return answer(400, { Code: 'InvalidArgument', Message: 'key is required: /sign?key=<name under your prefix>' }, cors);
    const client = await signingClient(env);
    const objectKey = `${env.PREFIX ?? 'users/'}${user}/${key}`;
    try {
      const p = client.presign(objectKey, options); // refuses keys with . or .. segments (InvalidObjectName)
      return answer(200, { key: objectKey, url: p.url, method: p.method, headers: p.headers, expiresAt: p.expiresAt.toISOString() }, cors);
    } catch (err) {
      if (!err.code) throw err;
      return answer(400, { Code: err.code, Message: err.message }, cors);
    }
  },
};

/** The caller's user id: the `sub` of a valid `Authorization: Bearer` JWT. */
async function authenticate(request, env) {
  const [scheme, token] = (request.headers.get('Authorization') ?? '').split(' ');
  if (scheme !== 'Bearer' || !token) throw new TokenError('send Authorization: Bearer <JWT>');
  verifying ??= verificationKey(env).catch((err) => {
    verifying = undefined;
    throw err;
  });
  const claims = await verifyJWT(token, await verifying, {
    issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (typeof claims.sub !== 'string' || !USER_ID.test(claims.sub)) throw new TokenError('the token\'s sub is not a usable user id');
  return claims.sub;
}

/** The isolate's ossign client, signing with the worker's AccessKey (long-term: no expiry). */
function signingClient(env) {
  signing ??= createClient({
    region: env.OSS_REGION, bucket: env.OSS_BUCKET, endpoint: env.OSS_ENDPOINT || undefined,
    credentials: { accessKeyId: env.OSS_ACCESS_KEY_ID, accessKeySecret: env.OSS_ACCESS_KEY_SECRET },
  }).catch((err) => {
    signing = undefined;
    throw err;
  });
  return signing;
}

/** CORS for the origins ALLOWED_ORIGINS lists (comma-separated, exact). */
function corsHeaders(request, env) {
  const origin = request.headers.get('Origin');
  const allowed = (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  if (!origin || !allowed.includes(origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'GET',
    'Access-Control-Allow-Headers': 'Authorization', 'Access-Control-Max-Age': '600', Vary: 'Origin',
  };
}

function answer(status, body, headers) {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}
