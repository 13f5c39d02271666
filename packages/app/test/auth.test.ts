import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { deploymentIssuer } from '../src/auth/deployment-issuer.js';
import { LoginLimiter } from '../src/auth/login-limiter.js';
import { hashPassword, verifyPassword } from '../src/auth/password-hash.js';
import { TokenSigner } from '../src/auth/token-signer.js';
import { canonicalUsername, requiredPassword } from '../src/auth/username.js';

/** Just enough of a request for TokenSigner: its Authorization and x-tenant headers. */
function request(authorization: string | undefined, tenant?: string): Request {
  return {
    get: (name: string) => (name === 'authorization' ? authorization : undefined),
    headers: tenant === undefined ? {} : { 'x-tenant': tenant },
  } as unknown as Request;
}

/** A token whose payload text is `payload`, signed with `secret` the way TokenSigner signs. */
function signRaw(secret: string, payload: string): string {
  const body = Buffer.from(payload).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const INVALID = expect.objectContaining({
  status: 401,
  message: expect.stringMatching(/invalid or expired: log in again/),
});

describe('password hashes', () => {
  it('verify the password they were made from, and nothing else', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w+/=]+\$[\w+/=]+$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horse!', stored)).toBe(false);
    expect(await verifyPassword('correct horse', 'plaintext')).toBe(false);
  });

  it('are salted: one password never hashes the same twice', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('TokenSigner', () => {
  const user = { id: 42, username: 'ada' };
  const signer = new TokenSigner({ secret: 'secret', issuer: 'here' });

  it('reads back the user it signed, in the tenant it signed for, whatever the scheme case', () => {
    const token = signer.sign(user, request(undefined));
    expect(signer.userOf(request(`Bearer ${token}`))).toEqual(user);
    expect(signer.userOf(request(`bearer ${token}`))).toEqual(user);
    expect(signer.userOf(request(`BEARER  ${token}`))).toEqual(user);
    const inAcme = signer.sign(user, request(undefined, 'acme'));
    expect(signer.userOf(request(`Bearer ${inAcme}`, 'acme'))).toEqual(user);
  });

  it('refuses a token in any tenant but its own, the default database included', () => {
    const onDefault = signer.sign(user, request(undefined));
    const inAcme = signer.sign(user, request(undefined, 'acme'));
    const otherTenant = expect.objectContaining({
      status: 401,
      message: expect.stringMatching(/^This token was issued for another tenant\./),
    });
    expect(() => signer.userOf(request(`Bearer ${onDefault}`, 'acme'))).toThrow(otherTenant);
    expect(() => signer.userOf(request(`Bearer ${inAcme}`))).toThrow(otherTenant);
    expect(() => signer.userOf(request(`Bearer ${inAcme}`, 'acme-2'))).toThrow(otherTenant);
    // The default database's name in a token is no tenant id anyone can provision.
    const payload = JSON.parse(Buffer.from(onDefault.split('.')[0] ?? '', 'base64url').toString());
    expect(payload.ten).not.toMatch(/^[a-z0-9][a-z0-9_-]{0,62}$/);
  });

  it("refuses another deployment's token though it shares the secret", () => {
    const elsewhere = new TokenSigner({ secret: 'secret', issuer: 'there' }).sign(
      user,
      request(undefined),
    );
    expect(() => signer.userOf(request(`Bearer ${elsewhere}`))).toThrow(
      expect.objectContaining({
        status: 401,
        message: expect.stringMatching(/another deployment/),
      }),
    );
  });

  it('refuses a missing header, a tampered token and another secret with a 401 that says what to do', () => {
    const token = signer.sign(user, request(undefined));
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 1, name: 'root', exp: 9e9 })).toString(
      'base64url',
    );
    expect(() => signer.userOf(request(undefined))).toThrow(/^Log in first/);
    for (const header of [
      `Bearer ${forged}.${mac}`,
      `Bearer ${body}.${mac.slice(1)}`,
      `Bearer ${new TokenSigner({ secret: 'other', issuer: 'here' }).sign(user, request(undefined))}`,
      `Basic ${token}`,
      `Bearer${token}`,
      token,
      `Bearer ${token}.x`,
    ]) {
      expect(() => signer.userOf(request(header)), header).toThrow(INVALID);
    }
  });

  it('accepts only the exact text it signed: no spare-bit variant of the MAC or the payload verifies', () => {
    const token = signer.sign(user, request(undefined));
    const [body, mac] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes are 43 characters: the last carries 4 bits of MAC and 2 spare ones.
    const last = alphabet.indexOf(mac.at(-1) ?? '');
    const variants = [1, 2, 3].map((spare) => `${mac.slice(0, -1)}${alphabet[last ^ spare]}`);
    for (const variant of variants) {
      expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
      expect(() => signer.userOf(request(`Bearer ${body}.${variant}`)), variant).toThrow(INVALID);
    }
    expect(() => signer.userOf(request(`Bearer ${body}.${mac}=`))).toThrow(INVALID);
  });

  it('refuses, with a 401, a signed payload that is not JSON or lacks a numeric expiry', () => {
    const fields = { iss: 'here', ten: '(default)', sub: 42, name: 'ada' };
    const later = Math.floor(Date.now() / 1000) + 60;
    expect(
      signer.userOf(
        request(`Bearer ${signRaw('secret', JSON.stringify({ ...fields, exp: later }))}`),
      ),
    ).toEqual(user);
    for (const payload of [
      'not json',
      'null',
      '[]',
      JSON.stringify(fields),
      JSON.stringify({ ...fields, exp: String(later) }),
      JSON.stringify({ ...fields, exp: null }),
      JSON.stringify({ ...fields, exp: later, sub: '42' }),
      JSON.stringify({ ...fields, exp: later, sub: 0 }),
      JSON.stringify({ ...fields, exp: later, ten: 7 }),
    ]) {
      expect(() => signer.userOf(request(`Bearer ${signRaw('secret', payload)}`)), payload).toThrow(
        INVALID,
      );
    }
  });

  it('refuses a token once it has expired', () => {
    const token = signer.sign(user, request(undefined));
    vi.useFakeTimers({ now: Date.now() + 13 * 60 * 60 * 1000 });
    try {
      expect(() => signer.userOf(request(`Bearer ${token}`))).toThrow(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('canonicalUsername', () => {
  it('folds look-alike spellings into one name', () => {
    for (const spelling of [
      'alice',
      'ALICE',
      'Alice',
      'alice ',
      '  alice',
      'ａｌｉｃｅ',
      'ＡＬＩＣＥ',
    ]) {
      expect(canonicalUsername(spelling), JSON.stringify(spelling)).toBe('alice');
    }
    expect(canonicalUsername('Jose\u0301')).toBe(canonicalUsername('José'));
    expect(canonicalUsername('ann  lee')).toBe('ann lee');
    expect(canonicalUsername('Алиса')).toBe('алиса');
  });

  it('refuses blank, invisible and mixed-alphabet names with a 400 that says why', () => {
    for (const blank of [' ', '\t', '\u3000', '\u00a0']) {
      expect(() => canonicalUsername(blank)).toThrow(
        expect.objectContaining({ status: 400, message: 'Username is required.' }),
      );
    }
    for (const hidden of [
      'al\u200bice',
      'alice\u200d',
      '\u2066alice',
      'al\u0007ice',
      'a\u00adlice',
    ]) {
      expect(() => canonicalUsername(hidden), JSON.stringify(hidden)).toThrow(
        expect.objectContaining({ status: 400, message: expect.stringMatching(/invisible/) }),
      );
    }
    for (const mixed of ['\u0430lice', 'alic\u0435', 'ali\u03bfe']) {
      expect(() => canonicalUsername(mixed), mixed).toThrow(
        expect.objectContaining({ status: 400, message: expect.stringMatching(/one alphabet/) }),
      );
    }
  });

  it('refuses a blank password, and keeps any other exactly as sent', () => {
    expect(() => requiredPassword('   ')).toThrow('Password is required.');
    expect(requiredPassword(' pass word ')).toBe(' pass word ');
  });
});

describe('LoginLimiter', () => {
  const limits = { perUserAndClient: 2, perClient: 3, windowMs: 60_000, maxTracked: 100 };

  it('refuses a username after its failures from one client, with the seconds until the window ends', () => {
    const limiter = new LoginLimiter(limits);
    limiter.begin('ada', '10.0.0.1', 0);
    limiter.begin('ada', '10.0.0.1', 1000);
    expect(() => limiter.begin('ada', '10.0.0.1', 2000)).toThrow(
      expect.objectContaining({
        status: 429,
        retryAfterSeconds: 58,
        message: expect.stringMatching(
          /^Too many failed logins for ada from this address: try again in 58 s/,
        ),
      }),
    );
    // Another client, or the same client for another name, still may.
    limiter.begin('ada', '10.0.0.2', 2000);
    limiter.begin('bob', '10.0.0.1', 2000);
    // The window ends.
    limiter.begin('ada', '10.0.0.1', 60_000);
  });

  it('refuses a client that fails across many usernames', () => {
    const limiter = new LoginLimiter(limits);
    for (const name of ['a', 'b', 'c']) limiter.begin(name, '10.0.0.1', 0);
    expect(() => limiter.begin('d', '10.0.0.1', 0)).toThrow(/from this address/);
  });

  it('never counts a login that succeeded', () => {
    const limiter = new LoginLimiter(limits);
    for (let i = 0; i < 20; i += 1) limiter.begin('ada', '10.0.0.1', 0).succeeded();
    limiter.begin('ada', '10.0.0.1', 0);
  });

  it('keeps at most maxTracked counters, whatever a client sends', () => {
    const limiter = new LoginLimiter({ ...limits, perClient: 1_000_000, maxTracked: 50 });
    for (let i = 0; i < 1000; i += 1) limiter.begin(`user-${i}`, `10.0.${i % 7}.1`, 0);
    expect(limiter.size).toBe(50);
  });
});

describe('deploymentIssuer', () => {
  it('names where the default database is, the same for every worker and never by its password', () => {
    const here = deploymentIssuer('postgres://app:one@db.internal:5432/shop');
    expect(deploymentIssuer('postgres://app:two@db.internal/shop')).toBe(here);
    expect(deploymentIssuer('postgres://app:one@db.internal:5432/shop_staging')).not.toBe(here);
    expect(deploymentIssuer('postgres://app:one@db.other:5432/shop')).not.toBe(here);
    expect(here).not.toMatch(/one|shop|internal/);
    expect(deploymentIssuer('sqlite:./data/app.db')).toBe(deploymentIssuer('sqlite:data/app.db'));
    expect(deploymentIssuer('sqlite:./data/app.db')).not.toBe(
      deploymentIssuer('sqlite:./other.db'),
    );
  });
});
