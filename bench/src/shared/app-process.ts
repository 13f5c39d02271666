import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type NodeRuntime, runtimeEnv } from '@lifetimes/runtimes';
import { FROM_SOURCES } from './from-sources.js';

export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the app printed; its last line says whether it stopped cleanly. */
  readonly output: string;
}

export interface StartAppOptions {
  /** The entry file, run from sources (`FROM_SOURCES`). */
  readonly entry: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Core to pin the app to with taskset once it is ready; undefined: not pinned. */
  readonly core: number | undefined;
  /** The Node the app runs on; undefined: this process's. */
  readonly runtime?: NodeRuntime;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * What an app prints once it listens (runServer's line, the fleet's, the
 * floor's): the port it was given by the kernel.
 */
const LISTENING = /listening on http:\/\/[^\s/]+:(\d+)/;
const STOP_TIMEOUT_MS = 12_000;

/**
 * One app in its own child process, as better-sqlite3's and fastify's
 * benchmarks do: the load generator never shares an event loop (or, when
 * pinned, a core) with the server it measures.
 */
export class AppProcess {
  #url = '';
  readonly #child: ChildProcess;
  #output = '';
  readonly #exited: Promise<AppExit>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.#keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#keep(chunk));
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal, output: this.#output }));
    });
  }

  static async start(options: StartAppOptions): Promise<AppProcess> {
    const { runtime } = options;
    const execPath = runtime ? join(runtime.binDir, 'node') : process.execPath;
    const node = [execPath, ...FROM_SOURCES, options.entry];
    // The apps of a run start together: on every core, so their loading (a
    // compile of their sources each) is not queued on the one core they are
    // then pinned to. Unpinned, the child would inherit the bench's own core.
    const everyCore = `0-${cpus().length - 1}`;
    const [command, ...args] =
      options.core !== undefined ? ['taskset', '-c', everyCore, ...node] : node;
    // Port 0: the app takes a port from the kernel and says which. A port
    // picked here and handed down could be taken before the app binds it (an
    // outgoing connection of another app or of the load can get it), and
    // then another process answers this app's URL.
    const env = { ...process.env, ...options.env, PORT: '0' };
    const child = spawn(command ?? execPath, args, {
      cwd: options.cwd,
      env: runtime ? runtimeEnv(runtime, env) : env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child);
    await app.#ready();
    // Every thread it has now; threads it starts later inherit the mask.
    if (options.core !== undefined) {
      try {
        await promisify(execFile)('taskset', ['-apc', String(options.core), String(app.pid)]);
      } catch (error) {
        child.kill('SIGKILL');
        throw new Error(
          `Could not pin the app to core ${options.core} (${(error as Error).message}); run with --no-pin.`,
        );
      }
    }
    return app;
  }

  /** Where the app listens, as it said once it was ready. */
  get url(): string {
    return this.#url;
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** True until the process has exited, however it ends. */
  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Sends `signal` (SIGKILL for a crash, SIGTERM for a shutdown) and returns at once; whenExited() says how it ended. */
  kill(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }

  /** The tail of what the app printed so far. */
  get output(): string {
    return this.#output;
  }

  /** Resolves when the process has exited: its code or signal, and what it printed. */
  whenExited(): Promise<AppExit> {
    return this.#exited;
  }

  /** Resets the kernel's peak-RSS mark, so the next peakRssMb() covers one round only. */
  resetPeakRss(): void {
    const path = `/proc/${this.pid}/clear_refs`;
    if (existsSync(path)) {
      try {
        writeFileSync(path, '5');
      } catch {
        // Not permitted here: the peak then covers the process's whole life.
      }
    }
  }

  /** Peak resident memory since start or the last reset, in MiB (Linux); undefined elsewhere. */
  peakRssMb(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM, then waits for the app's own clean shutdown (it promises 10 s); SIGKILL past that. */
  async stop(): Promise<AppExit> {
    if (this.#child.exitCode === null && this.#child.signalCode === null)
      this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the app to say where it listens, then for that place to answer /health. */
  async #ready(): Promise<void> {
    const deadline = performance.now() + READY_TIMEOUT_MS;
    let exited = false;
    void this.#exited.then(() => {
      exited = true;
    });
    while (performance.now() < deadline) {
      if (exited) {
        throw new Error(
          `The app exited before it was ready. It printed:\n${this.#output.slice(-2000)}`,
        );
      }
      const port = LISTENING.exec(this.#output)?.[1];
      if (port !== undefined) {
        this.#url = `http://127.0.0.1:${port}`;
        try {
          const response = await fetch(`${this.#url}/health`);
          if (response.ok) return;
        } catch {
          // Said, but not answering yet.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.#child.kill('SIGKILL');
    throw new Error(
      `The app was not ready after ${READY_TIMEOUT_MS / 1000} s (ready: it prints "listening on http://host:port" and that port answers /health). It printed:\n${this.#output.slice(-2000)}`,
    );
  }

  #keep(chunk: Buffer): void {
    // The tail is enough to explain a failure; the whole log could be large.
    this.#output = (this.#output + chunk.toString('utf8')).slice(-20_000);
  }
}
