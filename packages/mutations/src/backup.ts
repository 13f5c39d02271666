import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Saved {
  readonly file: string;
  readonly original: string;
  readonly mutated: string;
}

/**
 * Keeps the original of the one file under mutation on disk while the
 * mutation is applied, so an interrupted run (a signal, a crash, a power
 * cut) can always be undone. restore() is synchronous and idempotent: it
 * runs from `finally`, from signal handlers and from the `exit` event.
 */
export class Backup {
  readonly #root: string;
  readonly #path: string;
  #saved: Saved | undefined;

  constructor(root: string, path: string) {
    this.#root = root;
    this.#path = path;
  }

  /**
   * Undoes a run that never restored. Restores only a file that still holds
   * exactly the mutated text; a file edited since is left alone, with what
   * to do.
   */
  recover(): string | undefined {
    if (!existsSync(this.#path)) return undefined;
    const saved = JSON.parse(readFileSync(this.#path, 'utf8')) as Saved;
    const target = join(this.#root, saved.file);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current !== saved.mutated && current !== saved.original) {
      throw new Error(
        `An interrupted run left ${this.#path}, and ${saved.file} has changed since it was mutated. ` +
          `Compare the file with the "original" in that backup, restore what you need, then delete the backup.`,
      );
    }
    writeFileSync(target, saved.original);
    rmSync(this.#path);
    return saved.file;
  }

  /** Writes the backup first, then the mutated file. */
  apply(file: string, original: string, mutated: string): void {
    this.#saved = { file, original, mutated };
    writeFileSync(this.#path, JSON.stringify(this.#saved));
    writeFileSync(join(this.#root, file), mutated);
  }

  restore(): void {
    const saved = this.#saved;
    if (!saved) return;
    writeFileSync(join(this.#root, saved.file), saved.original);
    rmSync(this.#path, { force: true });
    this.#saved = undefined;
  }
}
