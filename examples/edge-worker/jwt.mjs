// JWT verification with WebCrypto (crypto.subtle.verify): HS256 with a shared secret, or
// RS256 / ES256 with the identity provider's public key as a JWK. The algorithm is the key's,
// never the token's choice (a token saying "none", or HS256 against a public key, is refused).

/** A rejected token; the message says why, never echoing the token. */
export class TokenError extends Error {}

const ALGORITHMS = {
  HS256: { key: { name: 'HMAC', hash: 'SHA-256' }, verify: { name: 'HMAC' }, format: 'raw' },
  RS256: { key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' }, format: 'jwk' },
  ES256: { key: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' }, format: 'jwk' },
};

/**
 * The verification key of the worker's configuration: JWT_PUBLIC_JWK (an RS256 or ES256 public
 * JWK, as JSON) or JWT_HS256_SECRET (at least 32 bytes).
 * @returns {Promise<{alg: string, key: CryptoKey}>}
 */
export async function verificationKey(env) {
  if (env.JWT_PUBLIC_JWK) {
    const jwk = JSON.parse(env.JWT_PUBLIC_JWK);
    const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : 'RS256');
    if (alg !== 'RS256' && alg !== 'ES256') throw new Error(`JWT_PUBLIC_JWK: alg ${alg} is not RS256 or ES256`);
    const a = ALGORITHMS[alg];
    return { alg, key: await crypto.subtle.importKey(a.format, jwk, a.key, false, ['verify']) };
  }
  const secret = new TextEncoder().encode(env.JWT_HS256_SECRET ?? '');
  if (secret.length < 32) throw new Error('set JWT_PUBLIC_JWK, or JWT_HS256_SECRET of at least 32 bytes');
  return { alg: 'HS256', key: await crypto.subtle.importKey('raw', secret, ALGORITHMS.HS256.key, false, ['verify']) };
}

function base64url(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new TokenError('malformed token');
  const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function json(part) {
  try {
    return JSON.parse(new TextDecoder().decode(base64url(part)));
  } catch (err) {
    if (err instanceof TokenError) throw err;
    throw new TokenError('malformed token');
  }
}

/**
 * Verifies a compact JWT: signature, then exp (required), nbf, iss and aud. Returns its claims.
 * @param {string} token
 * @param {{alg: string, key: CryptoKey}} verifier
 * @param {{issuer: string, audience: string, nowSeconds: number, leewaySeconds?: number}} expect
 */
export async function verifyJWT(token, verifier, { issuer, audience, nowSeconds, leewaySeconds = 30 }) {
  if (!issuer || !audience) throw new Error('set JWT_ISSUER and JWT_AUDIENCE: tokens minted for another service must not pass');
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('malformed token');
  const header = json(parts[0]);
  if (header.alg !== verifier.alg) throw new TokenError(`token algorithm ${String(header.alg)} is not ${verifier.alg}`);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  const valid = await crypto.subtle.verify(ALGORITHMS[verifier.alg].verify, verifier.key, base64url(parts[2]), signed);
  if (!valid) throw new TokenError('bad signature');
  const claims = json(parts[1]);
  if (typeof claims.exp !== 'number') throw new TokenError('the token has no exp');
  if (nowSeconds > claims.exp + leewaySeconds) throw new TokenError('token expired');
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf - leewaySeconds) throw new TokenError('token not valid yet');
  if (claims.iss !== issuer) throw new TokenError('wrong issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(audience)) throw new TokenError('wrong audience');
  return claims;
}
