import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * node_modules holds one better-sqlite3 binary, and only the Node it was
 * built for can load it: the `bindings` lookup tries build/Release first
 * and throws on an ABI mismatch instead of looking further. A run under
 * another runtime therefore puts that runtime's binary in its place and
 * the machine's back afterwards. Each copy lands by rename, so a process
 * that has the old one loaded keeps it intact.
 *
 * The marker beside the binary records a swap in progress with the pid
 * that made it: a second run at the same time is refused, and a run that
 * was killed outright (no chance to put the binary back) is repaired by the
 * next one.
 */
export class BindingSwap {
  readonly #installed: string;
  readonly #machine: string;
  readonly #marker: string;

  /**
   * @param installed the binary in node_modules
   * @param machine where the machine's own binary is kept while another is in place
   */
  constructor(installed: string, machine: string) {
    this.#installed = installed;
    this.#machine = machine;
    this.#marker = `${installed}.runtime-swap`;
  }

  /**
   * Puts the machine's binary back if an earlier run left another one in
   * place, then keeps a copy of the machine's binary. Returns whether it
   * had to repair.
   */
  async prepare(): Promise<boolean> {
    let repaired = false;
    if (existsSync(this.#marker)) {
      const owner = Number(readFileSync(this.#marker, 'utf8'));
      if (alive(owner)) {
        throw new Error(
          `Another run (pid ${owner}) has its runtime's better-sqlite3 in node_modules. Wait for it to end, or end it, then run again.`,
        );
      }
      if (!existsSync(this.#machine)) {
        throw new Error(
          `An interrupted run left another runtime's better-sqlite3 in node_modules and the machine's copy is gone. Run npm rebuild better-sqlite3, then run again.`,
        );
      }
      await this.#place(this.#machine);
      await unlink(this.#marker);
      repaired = true;
    }
    if (!existsSync(this.#machine)) {
      await mkdir(dirname(this.#machine), { recursive: true });
      await copyFile(this.#installed, this.#machine);
    }
    return repaired;
  }

  /** Runs `work` with `binding` in node_modules, and puts the machine's back however it ends. */
  async with<T>(binding: string, work: () => Promise<T>): Promise<T> {
    await writeFile(this.#marker, String(process.pid), { flag: 'wx' });
    try {
      await this.#place(binding);
      return await work();
    } finally {
      await this.#place(this.#machine);
      await unlink(this.#marker);
    }
  }

  async #place(binding: string): Promise<void> {
    const staged = `${this.#installed}.staged`;
    await copyFile(binding, staged);
    await rename(staged, this.#installed);
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
