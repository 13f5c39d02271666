import type { ConnectionStrategy } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import { type Request, Router } from 'express';
import type { Kysely } from 'kysely';
import type { TokenSigner, TokenUser } from '../auth/token-signer.js';
import { HttpError } from '../http/http-error.js';
import { idempotentWrite, sendAnswer } from '../http/idempotency.js';
import { JsonBody } from '../http/json-body.js';
import { rowId } from '../http/row-id.js';

/** A post as the API returns it: flaskr's columns, with the author's username. */
interface PostView {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly created: string;
  readonly author_id: number;
  readonly username: string;
}

/** flaskr's blog blueprint as JSON: anyone reads, authors write their own posts. */
export function postRoutes(strategy: ConnectionStrategy<Database>, tokens: TokenSigner): Router {
  const router = Router();

  router.get('/posts', async (_req, res) => {
    res.json(await findPosts(strategy.db));
  });

  router.get('/posts/:id', async (req, res) => {
    res.json(await findPost(strategy.db, req.params.id));
  });

  // Each write and its Idempotency-Key commit together: a retried write is answered, not repeated.
  router.post('/posts', async (req, res) => {
    const user = await tokenUser(strategy.db, tokens, req);
    const { title, body } = readPost(req);
    const answer = await idempotentWrite(strategy, req, async (trx) => {
      const { id } = await trx
        .insertInto('post')
        .values({ author_id: user.id, title, body })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { status: 201, body: await findPost(trx, String(id)) };
    });
    sendAnswer(res, answer);
  });

  router.put('/posts/:id', async (req, res) => {
    const user = await tokenUser(strategy.db, tokens, req);
    const answer = await idempotentWrite(strategy, req, async (trx) => {
      const post = await authorsPost(trx, req.params.id, user, 'edit');
      const { title, body } = readPost(req);
      await trx.updateTable('post').set({ title, body }).where('id', '=', post.id).execute();
      return { status: 200, body: await findPost(trx, String(post.id)) };
    });
    sendAnswer(res, answer);
  });

  router.delete('/posts/:id', async (req, res) => {
    const user = await tokenUser(strategy.db, tokens, req);
    const answer = await idempotentWrite(strategy, req, async (trx) => {
      const post = await authorsPost(trx, req.params.id, user, 'delete');
      await trx.deleteFrom('post').where('id', '=', post.id).execute();
      return { status: 204 };
    });
    sendAnswer(res, answer);
  });

  return router;
}

/**
 * The token's user, if it still exists in the request's database under the
 * name it was signed with: a token outlives a deleted user, and a new user
 * could one day be given the old id.
 */
async function tokenUser(
  db: Kysely<Database>,
  tokens: TokenSigner,
  req: Request,
): Promise<TokenUser> {
  const claimed = tokens.userOf(req);
  const user = await db
    .selectFrom('user')
    .select(['id', 'username'])
    .where('id', '=', claimed.id)
    .executeTakeFirst();
  if (user?.username !== claimed.username) {
    throw new HttpError(
      401,
      `User ${claimed.username} of this token no longer exists: register (POST /auth/register) and log in again.`,
    );
  }
  return user;
}

function readPost(req: Request): { title: string; body: string } {
  const fields = JsonBody.of(req);
  return {
    title: fields.requiredText('title', 'Title is required.'),
    body: fields.optionalText('body'),
  };
}

function selectPosts(db: Kysely<Database>) {
  return db
    .selectFrom('post')
    .innerJoin('user', 'user.id', 'post.author_id')
    .select([
      'post.id',
      'post.title',
      'post.body',
      'post.created',
      'post.author_id',
      'user.username',
    ]);
}

async function findPosts(db: Kysely<Database>): Promise<PostView[]> {
  // Newest first; the id breaks ties between posts created in the same instant.
  const rows = await selectPosts(db)
    .orderBy('post.created', 'desc')
    .orderBy('post.id', 'desc')
    .execute();
  return rows.map(view);
}

/** flaskr's get_post(): the post, or a 404. */
async function findPost(db: Kysely<Database>, rawId: string): Promise<PostView> {
  const id = rowId(rawId);
  const row =
    id === undefined
      ? undefined
      : await selectPosts(db).where('post.id', '=', id).executeTakeFirst();
  if (!row) throw new HttpError(404, `Post ${rawId} does not exist.`);
  return view(row);
}

/** flaskr's get_post(id, check_author=True): 404 before 403, as there. */
async function authorsPost(
  db: Kysely<Database>,
  rawId: string,
  user: TokenUser,
  action: 'edit' | 'delete',
): Promise<PostView> {
  const post = await findPost(db, rawId);
  if (post.author_id !== user.id) {
    throw new HttpError(
      403,
      `Only its author can ${action} post ${post.id}; you are ${user.username}.`,
    );
  }
  return post;
}

function view(row: Omit<PostView, 'created'> & { created: Date | string }): PostView {
  return { ...row, created: new Date(row.created).toISOString() };
}
