// The credentials client's refresh rules, with an injected clock, timers and vending function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialManager } from '../src/credentials.js';
import { OssignError } from '../src/errors.js';
import { ossign, wasmModule } from './helpers.mjs';

/** A manual clock whose timers run when time is advanced. */
class FakeTime {
  constructor(now) {
    this.nowMs = now;
    this.timers = new Map();
    this.nextId = 1;
    this.delays = [];
  }
  now = () => this.nowMs;
  setTimeout = (fn, ms) => {
    this.delays.push(ms);
    this.timers.set(this.nextId, { at: this.nowMs + ms, fn });
    return this.nextId++;
  };
  clearTimeout = (id) => this.timers.delete(id);
  /** Moves the clock forward, running due timers and the promise jobs they start. */
  async advance(ms) {
    const end = this.nowMs + ms;
    for (;;) {
      await flush();
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.nowMs = Math.max(this.nowMs, due[1].at);
      due[1].fn();
    }
    this.nowMs = end;
    await flush();
  }
}

async function flush() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3600_000;

/** A manager whose vending function hands out numbered one-hour credentials. */
function setup({ fail = () => null, lifetime = HOUR } = {}) {
  const time = new FakeTime(T0);
  const calls = { acquire: 0 };
  const manager = new CredentialManager({
    acquire: async () => {
      calls.acquire++;
      const err = fail(calls.acquire);
      if (err) throw err;
      return { n: calls.acquire, expiration: time.now() + lifetime };
    },
    refreshable: true,
    install: (r, now) => ({ expiration: r.expiration, refreshAt: r.expiration - Math.min(5 * 60_000, (r.expiration - now) / 5), n: r.n }),
    now: time.now,
    timers: time,
    random: () => 0, // backoff at its lower bound: half the full delay
  });
  return { time, calls, manager };
}

const unavailable = () => new OssignError('VendingFailed', 'HTTP 503', { status: 503 });

test('one refresh in flight for 100 concurrent callers', async () => {
  const { calls, manager } = setup();
  await Promise.all(Array.from({ length: 100 }, () => manager.ready()));
  assert.equal(calls.acquire, 1);
  assert.ok(manager.usable());
  await Promise.all(Array.from({ length: 100 }, () => manager.refresh()));
  assert.equal(calls.acquire, 2, 'concurrent forced refreshes share one fetch too');
  manager.close();
});

test('refreshes by expiry: 5 minutes before, or at 80% of a short lifetime', async () => {
  const { time, calls, manager } = setup();
  const changes = [];
  manager.addEventListener('credentialschange', (e) => changes.push(e.detail));
  await manager.ready();
  assert.equal(manager.refreshAt, T0 + HOUR - 5 * 60_000);
  await time.advance(HOUR - 5 * 60_000 - 1);
  assert.equal(calls.acquire, 1, 'not before the refresh time');
  await time.advance(1);
  assert.equal(calls.acquire, 2, 'the timer refreshed at the refresh time');
  assert.equal(changes.length, 2);
  assert.equal(changes[1].expiration.getTime(), time.now() + HOUR);
  assert.ok(!('AccessKeySecret' in changes[1]), 'events carry no secret');
  manager.close();

  const short = setup({ lifetime: 15 * 60_000 });
  await short.manager.ready();
  assert.equal(short.manager.refreshAt, T0 + 12 * 60_000);
  short.manager.close();
});

test('retries with exponential backoff, then succeeds', async () => {
  const { time, calls, manager } = setup({ fail: (n) => (n <= 2 ? unavailable() : null) });
  const ready = manager.ready();
  await time.advance(10_000);
  await ready;
  assert.equal(calls.acquire, 3);
  assert.deepEqual(time.delays.slice(0, 2), [250, 500], 'base 500 ms doubling, jitter in [half, full]');
  manager.close();
});

test('gives up after the retries and does not retry a 4xx', async () => {
  const forbidden = setup({ fail: () => new OssignError('VendingFailed', 'HTTP 403', { status: 403 }) });
  await assert.rejects(forbidden.manager.ready(), { code: 'VendingFailed', status: 403 });
  assert.equal(forbidden.calls.acquire, 1);

  const down = setup({ fail: unavailable });
  const ready = down.manager.ready();
  const rejected = assert.rejects(ready, { code: 'VendingFailed' });
  await down.time.advance(60_000);
  await rejected;
  assert.equal(down.calls.acquire, 4, 'one try and 3 retries');
});

test('keeps the old credentials when a refresh fails, until they expire', async () => {
  let failing = false;
  const { time, calls, manager } = setup({ fail: () => (failing ? unavailable() : null) });
  const errors = [];
  manager.addEventListener('credentialserror', (e) => errors.push(e.detail.error));
  await manager.ready();
  failing = true;
  await time.advance(HOUR - 5 * 60_000 + 10_000); // the refresh and its retries fail
  assert.equal(errors.length, 1);
  assert.ok(manager.usable(), 'the old credentials still work');
  await manager.ready(); // due, but a failing background refresh does not block signing
  const before = calls.acquire;
  await time.advance(30_000);
  assert.ok(calls.acquire > before, 'a failed refresh is tried again later');
  await time.advance(HOUR);
  assert.equal(manager.usable(), false, 'expired');
  const ready = manager.ready();
  const rejected = assert.rejects(ready, { code: 'VendingFailed' });
  await time.advance(60_000);
  await rejected;
  failing = false;
  const recovered = manager.ready();
  await time.advance(1);
  await recovered;
  assert.ok(manager.usable());
  manager.close();
});

test('never signs with expired credentials', async () => {
  let now = T0;
  const client = await ossign.createClient({
    wasmModule, region: 'cn-hangzhou', bucket: 'examplebucket', now: () => now,
    credentials: { AccessKeyId: 'STS.id', AccessKeySecret: 'sk', SecurityToken: 'tok', Expiration: new Date(T0 + HOUR) },
  });
  try {
    assert.match(client.signatureUrl('k'), /x-oss-signature=/);
    now = T0 + HOUR;
    assert.throws(() => client.signatureUrl('k'), (e) => e.code === 'ExpiredCredentials' && /expired at 2026-01-01T01:00:00Z/.test(e.message));
    assert.throws(() => client.signRequest({ key: 'k' }), { code: 'ExpiredCredentials' });
    const status = client.credentialStatus();
    assert.equal(status.expired, true);
  } finally {
    client.close();
  }
  await assert.rejects(
    ossign.createClient({ wasmModule, region: 'cn-hangzhou', now: () => T0 + 2 * HOUR, credentials: { AccessKeyId: 'STS.id', AccessKeySecret: 'sk', SecurityToken: 'tok', Expiration: new Date(T0) } }),
    { code: 'ExpiredCredentials' },
    'expired credentials are refused when loaded',
  );
});

test('a vending URL: flat JSON, bucket and region from the response, HTTP errors', async () => {
  const { createServer } = await import('node:http');
  let status = 200;
  const server = createServer((req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(status === 200
      ? { Code: 'Success', AccessKeyId: 'STS.id', AccessKeySecret: 'sk', SecurityToken: 'tok', Expiration: '2030-01-01T00:00:00Z', Bucket: 'vended', Region: 'cn-shanghai', Prefix: 'users/42/' }
      : { Code: 'Unauthorized', Message: 'log in first' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/sts`;
  try {
    const client = await ossign.createClient({ wasmModule, credentials: url });
    try {
      assert.equal(client.bucket, 'vended');
      assert.equal(client.prefix, 'users/42/');
      assert.match(client.signatureUrl('users/42/a'), /^https:\/\/vended\.oss-cn-shanghai\.aliyuncs\.com\/users\/42\/a\?/);
    } finally {
      client.close();
    }
    status = 401;
    await assert.rejects(ossign.createClient({ wasmModule, credentials: url }), (e) => e.code === 'VendingFailed' && e.status === 401 && /log in first/.test(e.message));
  } finally {
    server.close();
  }
});

test('fetchOptions as a function: asked again for each vending fetch (a bearer token that rotates)', async () => {
  const { createServer } = await import('node:http');
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ Code: 'Success', AccessKeyId: 'STS.id', AccessKeySecret: 'sk', SecurityToken: 'tok', Expiration: '2030-01-01T00:00:00Z', Bucket: 'b', Region: 'cn-shanghai' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  let token = 'jwt-1';
  try {
    const client = await ossign.createClient({ wasmModule, credentials: `http://127.0.0.1:${server.address().port}/sts`,
      fetchOptions: async () => ({ headers: { Authorization: `Bearer ${token}` } }) });
    token = 'jwt-2';
    await client.refreshCredentials();
    client.close();
    assert.deepEqual(seen, ['Bearer jwt-1', 'Bearer jwt-2']);
  } finally {
    server.close();
  }
});

test('after a failed refresh, signing does not refetch until the retry time', async () => {
  let failing = false;
  const { time, calls, manager } = setup({ fail: () => (failing ? new OssignError('VendingFailed', 'HTTP 401', { status: 401 }) : null) });
  await manager.ready();
  failing = true;
  await time.advance(HOUR - 5 * 60_000);
  assert.equal(calls.acquire, 2, 'the scheduled refresh ran and failed');
  for (let i = 0; i < 20; i++) {
    manager.poke();
    await time.advance(100);
  }
  assert.equal(calls.acquire, 2, 'no fetch per signature while backing off');
  await time.advance(30_000);
  assert.equal(calls.acquire, 3, 'tried again at the retry time');
  manager.close();
});

test('the first fetch is retried, a rejected one is not', async () => {
  let n = 0;
  const client = await ossign.createClient({
    wasmModule, region: 'cn-hangzhou', bucket: 'examplebucket', retry: { baseDelay: 1 },
    credentials: async () => {
      if (++n === 1) throw new Error('network blip');
      return { AccessKeyId: 'ak', AccessKeySecret: 'sk' };
    },
  });
  client.close();
  assert.equal(n, 2);
  let m = 0;
  await assert.rejects(ossign.createClient({
    wasmModule, region: 'cn-hangzhou', retry: { baseDelay: 1 },
    credentials: async () => (m++, { Code: 'AccessDenied', Message: 'no' }),
  }), { code: 'VendingRejected' });
  assert.equal(m, 1);
});
