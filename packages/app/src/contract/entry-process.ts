import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '@lifetimes/core/contract';

/** The app's real entry in a child process, as `npm run start` runs it, with its output kept. */
export class EntryProcess {
  readonly process: ChildProcess;
  output = '';

  constructor(entry: URL, env: Record<string, string>) {
    const file = fileURLToPath(entry);
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    // As the app's `start` script runs it: every workspace package from its
    // sources (the `@lifetimes/source` condition), never from a built dist/.
    this.process = spawn(process.execPath, [tsx, '--conditions=@lifetimes/source', file], {
      cwd: dirname(dirname(file)),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output += chunk;
      });
    }
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Resolves once the server logs `line` (default: its URL); fails with the output if it exits or takes too long. */
  async listening(timeoutMs: number, line = /listening on http:\/\//): Promise<void> {
    await eventually(
      `the server logged ${line}`,
      () => {
        if (!this.running) throw new Error(`The server exited while starting:\n${this.output}`);
        return line.test(this.output);
      },
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nServer output:\n${this.output}`);
    });
  }

  async exited(): Promise<number | null> {
    if (!this.running) return this.process.exitCode;
    const [code] = (await once(this.process, 'exit')) as [number | null];
    return code;
  }
}
