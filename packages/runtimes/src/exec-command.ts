import { execFile } from 'node:child_process';

/**
 * Runs a command to its end and returns what it printed; a failure carries
 * the command and the end of its output, which is where build tools say
 * what went wrong.
 */
export function execCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n');
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${tail}`,
          ),
        );
      },
    );
  });
}
