import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BindingSwap } from '../src/swap-binding.js';

// Stand-in files for the binaries: the swap moves bytes and never loads them.
let dir: string;
let installed: string;
let machine: string;
let other: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifetimes-swap-'));
  await mkdir(join(dir, 'Release'));
  installed = join(dir, 'Release', 'better_sqlite3.node');
  machine = join(dir, 'cache', 'abi-115', 'better_sqlite3.node');
  other = join(dir, 'abi-137.node');
  await writeFile(installed, 'machine');
  await writeFile(other, 'node 24');
});

afterEach(() => rm(dir, { recursive: true, force: true }));

const content = (path: string) => readFileSync(path, 'utf8');

describe('BindingSwap', () => {
  it("keeps a copy of the machine's binary before anything is swapped", async () => {
    expect(await new BindingSwap(installed, machine).prepare()).toBe(false);
    expect(content(machine)).toBe('machine');
  });

  it("puts the runtime's binary in place for the run and the machine's back after", async () => {
    const swap = new BindingSwap(installed, machine);
    await swap.prepare();
    const during = await swap.with(other, async () => content(installed));
    expect(during).toBe('node 24');
    expect(content(installed)).toBe('machine');
    expect(existsSync(`${installed}.runtime-swap`)).toBe(false);
  });

  it("puts the machine's binary back when the run throws", async () => {
    const swap = new BindingSwap(installed, machine);
    await swap.prepare();
    await expect(
      swap.with(other, async () => {
        throw new Error('suite crashed');
      }),
    ).rejects.toThrow('suite crashed');
    expect(content(installed)).toBe('machine');
    expect(existsSync(`${installed}.runtime-swap`)).toBe(false);
  });

  it('repairs what a run killed outright left behind', async () => {
    await new BindingSwap(installed, machine).prepare();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    await writeFile(installed, 'node 24');
    await writeFile(`${installed}.runtime-swap`, String(dead));
    expect(await new BindingSwap(installed, machine).prepare()).toBe(true);
    expect(content(installed)).toBe('machine');
    expect(existsSync(`${installed}.runtime-swap`)).toBe(false);
  });

  it('refuses to swap while another live run has its binary in place', async () => {
    const swap = new BindingSwap(installed, machine);
    await swap.prepare();
    await writeFile(`${installed}.runtime-swap`, String(process.pid));
    await expect(new BindingSwap(installed, machine).prepare()).rejects.toThrow(
      `Another run (pid ${process.pid}) has its runtime's better-sqlite3 in node_modules`,
    );
    await expect(swap.with(other, async () => 'ran')).rejects.toThrow(/EEXIST/);
    expect(content(installed)).toBe('machine');
  });
});
