import { parseArgs } from 'node:util';

/** A command line the bench cannot run; the message says what to change. */
export class BenchUsageError extends Error {}

/** Each option a command takes: a switch, or one that needs a value (`--name=value`). */
export type FlagSpec = Readonly<Record<string, 'boolean' | 'string'>>;

/**
 * The options in `argv` by name, read by node:util's parseArgs; an unknown
 * option, a stray argument, a missing or unexpected value, or --help is a
 * BenchUsageError whose message says which and ends with `usage`.
 */
export function readFlags(
  argv: readonly string[],
  usage: string,
  spec: FlagSpec,
): Map<string, string> {
  const { tokens } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind === 'positional') {
      throw new BenchUsageError(`Unknown argument "${token.value}".\n\n${usage}`);
    }
    if (token.kind !== 'option') continue;
    const type = spec[token.name];
    if (type === undefined)
      throw new BenchUsageError(`Unknown option --${token.name}.\n\n${usage}`);
    if (type === 'string' && (token.value === undefined || token.value === '')) {
      throw new BenchUsageError(`--${token.name} needs a value: --${token.name}=...\n\n${usage}`);
    }
    if (type === 'boolean' && token.value !== undefined) {
      throw new BenchUsageError(`--${token.name} takes no value.\n\n${usage}`);
    }
    flags.set(token.name, token.value ?? 'true');
  }
  if (flags.has('help')) throw new BenchUsageError(usage);
  return flags;
}

/** A comma-separated option as a subset of `all`, in the order of `all`; absent: all of them. */
export function list<T extends string>(
  flags: Map<string, string>,
  name: string,
  all: readonly T[],
): T[] {
  const raw = flags.get(name);
  if (raw === undefined) return [...all];
  const picked = raw.split(',').map((item) => item.trim());
  for (const item of picked) {
    if (!(all as readonly string[]).includes(item)) {
      throw new BenchUsageError(`--${name}: "${item}" is not one of ${all.join(', ')}.`);
    }
  }
  return all.filter((item) => picked.includes(item));
}
