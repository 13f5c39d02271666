import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { type CallOptions, call } from './http-call.js';

interface Post {
  id: number;
  title: string;
  body: string;
  created: string;
  author_id: number;
  username: string;
}

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** flaskr's blog as a JSON API: its messages and statuses, exactly. */
export function blogCases(ctx: AppContext): void {
  async function expectError(
    base: string,
    method: string,
    path: string,
    options: CallOptions,
    status: number,
    message: string | RegExp,
  ): Promise<void> {
    const response = await call(base, method, path, options);
    const label = `${method} ${path} ${JSON.stringify(options)}`;
    expect(response.status, label).toBe(status);
    const { error } = response.body as { error: string };
    if (typeof message === 'string') expect(error, label).toBe(message);
    else expect(error, label).toMatch(message);
  }

  /** Registers and logs in a new user; returns the Authorization header. */
  async function signUp(base: string, name: string): Promise<Record<string, string>> {
    const credentials = { username: name, password: `pw-${name}` };
    expect((await call(base, 'POST', '/auth/register', { json: credentials })).status).toBe(201);
    const login = await call(base, 'POST', '/auth/login', { json: credentials });
    expect(login.status).toBe(200);
    return { authorization: `Bearer ${(login.body as { token: string }).token}` };
  }

  it('POST /auth/register: 201, 400 without a username or password, 409 for a taken name', async () => {
    const { base } = await ctx.serve();
    const name = uniqueName('ada');
    const created = await call(base, 'POST', '/auth/register', {
      json: { username: name, password: 'secret' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), username: name });
    const register = (json: unknown, status: number, message: string | RegExp) =>
      expectError(base, 'POST', '/auth/register', { json }, status, message);
    await register({ password: 'x' }, 400, 'Username is required.');
    await register({ username: '', password: 'x' }, 400, 'Username is required.');
    await register({ username: uniqueName('bo') }, 400, 'Password is required.');
    await register(
      { username: name, password: 'other' },
      409,
      `User ${name} is already registered.`,
    );
    await register({ username: 7, password: 'x' }, 400, /"username" must be a JSON string/);
    // The password is never stored as sent.
    const [row] = await ctx.adminQuery<{ password: string }>(
      `select password from "user" where username = ${ctx.placeholder(1)}`,
      [name],
    );
    expect(row?.password).toMatch(/^scrypt\$/);
    expect(row?.password).not.toContain('secret');
  });

  it("POST /auth/login: a token for the right password, 401 with flaskr's messages otherwise", async () => {
    const { base } = await ctx.serve();
    const name = uniqueName('cy');
    await call(base, 'POST', '/auth/register', { json: { username: name, password: 'right' } });
    const login = (json: unknown, status: number, message: string) =>
      expectError(base, 'POST', '/auth/login', { json }, status, message);
    await login({ username: uniqueName('nobody'), password: 'right' }, 401, 'Incorrect username.');
    await login({ username: name, password: 'wrong' }, 401, 'Incorrect password.');
    const ok = await call(base, 'POST', '/auth/login', {
      json: { username: name, password: 'right' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ token: expect.stringMatching(/^[\w-]+\.[\w-]+$/) });
  });

  it('posts: anyone reads, newest first; only a logged-in author writes (401, 403, 404)', async () => {
    const { base } = await ctx.serve();
    const author = await signUp(base, uniqueName('dee'));
    const other = await signUp(base, uniqueName('eve'));

    const missingToken = /^Log in first/;
    await expectError(base, 'POST', '/posts', { json: { title: 't' } }, 401, missingToken);
    await expectError(
      base,
      'POST',
      '/posts',
      { json: { title: 't' }, headers: { authorization: 'Bearer forged.token' } },
      401,
      /invalid or expired/,
    );
    await expectError(
      base,
      'POST',
      '/posts',
      { json: { body: 'b' }, headers: author },
      400,
      'Title is required.',
    );

    const first = await call(base, 'POST', '/posts', {
      json: { title: 'First', body: 'one' },
      headers: author,
    });
    expect(first.status).toBe(201);
    const second = await call(base, 'POST', '/posts', {
      json: { title: 'Second', body: 'two' },
      headers: author,
    });
    const [a, b] = [first.body as Post, second.body as Post];
    expect(a).toMatchObject({ title: 'First', body: 'one' });
    expect(Number.isNaN(Date.parse(a.created))).toBe(false);

    const list = await call(base, 'GET', '/posts');
    expect(list.status).toBe(200);
    const mine = (list.body as Post[]).filter((post) => post.author_id === a.author_id);
    expect(mine.map((post) => post.id)).toEqual([b.id, a.id]);
    expect((await call(base, 'GET', `/posts/${a.id}`)).body).toEqual(a);
    await expectError(base, 'GET', '/posts/987654', {}, 404, 'Post 987654 does not exist.');
    await expectError(base, 'GET', '/posts/abc', {}, 404, 'Post abc does not exist.');
    await expectError(base, 'GET', '/posts/99999999999', {}, 404, /does not exist/);

    const edit = { json: { title: 'Edited', body: 'new' } };
    await expectError(base, 'PUT', `/posts/${a.id}`, edit, 401, missingToken);
    await expectError(
      base,
      'PUT',
      `/posts/${a.id}`,
      { ...edit, headers: other },
      403,
      /Only its author/,
    );
    await expectError(
      base,
      'PUT',
      '/posts/987654',
      { ...edit, headers: author },
      404,
      /does not exist/,
    );
    await expectError(
      base,
      'PUT',
      `/posts/${a.id}`,
      { json: { title: '' }, headers: author },
      400,
      'Title is required.',
    );
    const edited = await call(base, 'PUT', `/posts/${a.id}`, { ...edit, headers: author });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: a.id, title: 'Edited', body: 'new' });

    await expectError(base, 'DELETE', `/posts/${a.id}`, {}, 401, missingToken);
    await expectError(base, 'DELETE', `/posts/${a.id}`, { headers: other }, 403, /Only its author/);
    expect((await call(base, 'DELETE', `/posts/${a.id}`, { headers: author })).status).toBe(204);
    await expectError(base, 'GET', `/posts/${a.id}`, {}, 404, /does not exist/);
    await expectError(base, 'DELETE', `/posts/${a.id}`, { headers: author }, 404, /does not exist/);
  });
}
