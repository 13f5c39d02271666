import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** What a machine without Chromium is told: the one line that fixes it. */
export const CHROMIUM_MISSING =
  'Chromium is not installed (or CHROMIUM_BIN is not an executable): run `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_BIN to its binary.';

/**
 * Headless, without the sandbox (the tests run as root in CI, where it
 * refuses to start), and quiet: no GPU, no QUIC, no first-run pages, and none
 * of the background fetches (updates, sync, components) a test machine cannot make.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * CHROMIUM_BIN when set (and nothing else, so a wrong value is not hidden by
 * another install), else `chromium` on PATH, then Debian's /usr/bin;
 * undefined when none is executable.
 */
export function findChromium(): string | undefined {
  const explicit = process.env.CHROMIUM_BIN;
  const candidates = explicit
    ? [explicit]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, 'chromium'));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** A page open in the shared browser, with what it reported; closing it keeps the browser. */
export interface OpenPage extends AsyncDisposable {
  readonly page: Page;
  /** Console errors and uncaught exceptions, in order. */
  readonly errors: string[];
}

/**
 * One Chromium for a whole test file, started at the first page a case asks
 * for, in a fresh profile directory, and closed (the directory removed) by close().
 */
export class SharedChromium {
  /** Where Chromium is; undefined when it is not installed and the browser cases skip. */
  readonly executable = findChromium();
  #context: Promise<{ context: BrowserContext; profile: string }> | undefined;

  /** Opens `url` in a new page once it has loaded. */
  async open(url: string): Promise<OpenPage> {
    const { context } = await this.#start();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await page.goto(url);
    return { page, errors, [Symbol.asyncDispose]: () => page.close() };
  }

  async close(): Promise<void> {
    const starting = this.#context;
    this.#context = undefined;
    // A browser that failed to start has failed its cases already.
    const started = await starting?.catch(() => undefined);
    if (!started) return;
    await started.context.close();
    await rm(started.profile, { recursive: true, force: true });
  }

  #start(): Promise<{ context: BrowserContext; profile: string }> {
    const executablePath = this.executable;
    if (executablePath === undefined) throw new Error(CHROMIUM_MISSING);
    this.#context ??= (async () => {
      const profile = await mkdtemp(join(tmpdir(), 'lifetimes-chromium-'));
      try {
        const context = await chromium.launchPersistentContext(profile, {
          executablePath,
          headless: true,
          args: ARGS,
        });
        return { context, profile };
      } catch (error) {
        await rm(profile, { recursive: true, force: true });
        throw error;
      }
    })();
    return this.#context;
  }
}
