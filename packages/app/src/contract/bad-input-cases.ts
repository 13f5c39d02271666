import type { LifetimeStats } from '@lifetimes/core';
import { eventually } from '@lifetimes/core/contract';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { type CallOptions, call, getJson } from './http-call.js';

type BadRequest = [method: string, path: string, options: CallOptions, status: number];

const JSON_TYPE = { 'content-type': 'application/json' };

/** Whatever a client sends, the answer is a 4xx with a message: never a 500, a hang or a leak. */
export function badInputCases(ctx: AppContext): void {
  it('malformed JSON, wrong types, oversized bodies and unknown routes get a 4xx with a message', async () => {
    const { base } = await ctx.serve();
    const requests: BadRequest[] = [
      ['POST', '/transfer', { raw: '{"from": 1,', headers: JSON_TYPE }, 400],
      ['POST', '/auth/register', { raw: '"just a string"', headers: JSON_TYPE }, 400],
      ['POST', '/auth/register', { json: [1, 2] }, 400],
      ['POST', '/auth/register', { json: { username: ['a'], password: 'x' } }, 400],
      ['POST', '/auth/register', { json: { username: 'nul\u0000byte', password: 'x' } }, 400],
      ['POST', '/auth/login', { json: { username: { $ne: '' }, password: 'x' } }, 400],
      [
        'POST',
        '/auth/register',
        { raw: 'username=a', headers: { 'content-type': 'text/plain' } },
        400,
      ],
      ['POST', '/auth/register', { json: { username: 'big', password: 'x'.repeat(20_000) } }, 413],
      [
        'POST',
        '/transfer',
        { raw: '{}', headers: { 'content-type': 'application/json; charset=latin1' } },
        415,
      ],
      ['GET', '/posts/%E0%A4%A', {}, 400],
      ['GET', '/db', { headers: { 'x-tenant': '../../etc/passwd' } }, 400],
      ['GET', '/nope', {}, 404],
      ['DELETE', '/db', {}, 404],
      ['POST', '/health', { json: {} }, 404],
    ];
    for (const [method, path, options, status] of requests) {
      const response = await call(base, method, path, options);
      const label = `${method} ${path} ${JSON.stringify(options).slice(0, 120)}`;
      expect(response.status, label).toBe(status);
      expect(response.body, label).toEqual({ error: expect.stringMatching(/\w+ \w+/) });
    }
    await eventually('nothing held after bad input', async () => {
      const stats = await getJson<LifetimeStats>(base, '/stats');
      return stats.active === 0 && stats.scopesOpen <= 1;
    });
  });

  it('a client that goes away mid-request leaves no connection or scope behind', async () => {
    const { base } = await ctx.serve();
    const aborted = await Promise.all(
      Array.from({ length: 5 }, () => call(base, 'GET', '/slow?ms=300', { abortAfterMs: 60 })),
    );
    expect(aborted.map((response) => response.status)).toEqual([0, 0, 0, 0, 0]);
    await eventually(
      'the aborted requests released everything',
      async () => {
        const stats = await getJson<LifetimeStats>(base, '/stats');
        return stats.active === 0 && stats.scopesOpen <= 1 && stats.acquires === stats.releases;
      },
      3000,
    );
    expect((await call(base, 'GET', '/db')).status).toBe(200);
  });
}
