import { backends, databaseName, freePort } from '@lifetimes/databases';
import type { AppContext } from './app-context.js';
import { EntryProcess } from './entry-process.js';

/** The app's real entry, listening on a database of its own. */
export interface StartedEntry {
  readonly child: EntryProcess;
  /** Where it listens: `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** How many backends the app holds on its database's server (PostgreSQL), told by its application_name. */
  backendCount(): Promise<number>;
}

/**
 * Starts the app's real entry, as `npm run start` does, on a new database
 * and a free port with `env` on top, and resolves once it has logged `line`
 * within `timeoutMs`. The caller ends the child; one that never came up is
 * killed here.
 */
export async function startEntry(
  ctx: AppContext,
  env: Record<string, string>,
  timeoutMs: number,
  line?: RegExp,
): Promise<StartedEntry> {
  const database = await ctx.newDatabase();
  const port = await freePort();
  const child = new EntryProcess(ctx.spec.entry, {
    PORT: String(port),
    DATABASE_URL: database.url,
    ...env,
  });
  try {
    await child.listening(timeoutMs, line);
  } catch (error) {
    if (child.running) child.process.kill('SIGKILL');
    throw error;
  }
  const filter = {
    applicationName: `lifetimes-app-${ctx.spec.name}`,
    database: databaseName(database.url),
  };
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    backendCount: async () => (await backends(database.url, filter)).length,
  };
}
