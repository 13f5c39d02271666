import type { Request } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/password-hash.js';
import { TokenSigner } from '../src/auth/token-signer.js';

/** Just enough of a request for TokenSigner: its Authorization header. */
function withAuthorization(value: string | undefined): Request {
  return { get: (name: string) => (name === 'authorization' ? value : undefined) } as Request;
}

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

  it('reads back the user it signed', () => {
    const signer = new TokenSigner('secret');
    expect(signer.userOf(withAuthorization(`Bearer ${signer.sign(user)}`))).toEqual(user);
  });

  it('refuses a missing header, a tampered token and another secret with a 401 that says what to do', () => {
    const signer = new TokenSigner('secret');
    const token = signer.sign(user);
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 1, name: 'root', exp: 9e9 })).toString(
      'base64url',
    );
    expect(() => signer.userOf(withAuthorization(undefined))).toThrow(/^Log in first/);
    for (const header of [
      `Bearer ${forged}.${mac}`,
      `Bearer ${body}.${mac.slice(1)}`,
      `Bearer ${new TokenSigner('other').sign(user)}`,
      `Basic ${token}`,
      token,
    ]) {
      expect(() => signer.userOf(withAuthorization(header)), header).toThrow(
        expect.objectContaining({ status: 401, message: expect.stringMatching(/log in again/) }),
      );
    }
  });

  it('refuses a token once it has expired', () => {
    const signer = new TokenSigner(undefined);
    const token = signer.sign(user);
    vi.useFakeTimers({ now: Date.now() + 13 * 60 * 60 * 1000 });
    try {
      expect(() => signer.userOf(withAuthorization(`Bearer ${token}`))).toThrow(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });
});
