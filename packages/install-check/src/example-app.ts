import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { outsideEnv } from './outside-env.js';

const LISTENING = /listening on (\d+)/;
const START_MS = 20_000;

/** A README example running under plain `node`, in the outside project. */
export interface ExampleApp {
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, as a deploy stops it; resolves with its exit code. */
  stop(): Promise<number | null>;
}

export async function startExampleApp(
  projectDir: string,
  file: string,
  databaseUrl: string,
): Promise<ExampleApp> {
  const child: ChildProcess = spawn(process.execPath, [file], {
    cwd: projectDir,
    env: outsideEnv({ DATABASE_URL: databaseUrl, PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let output = '';
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${file} did not say "listening on" in ${START_MS} ms:\n${output}`)),
      START_MS,
    );
    const keep = (chunk: Buffer) => {
      output += chunk;
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
