/**
 * Paired ratios with a bootstrap interval: the one comparison this machine can
 * make honestly. Two rows measured in adjacent rounds drift together (the same
 * app climbs 80% within a minute on two shared cores), so the ratio of a pair
 * is far steadier than either figure; the spread of those ratios, not of the
 * figures, says whether a difference is real.
 */

/** A ratio of two rows over their paired samples. */
export interface RatioInterval {
  /** Median of the per-pair ratios. */
  readonly median: number;
  /** Bootstrap interval of that median (percentile method), 95% unless asked otherwise. */
  readonly low: number;
  readonly high: number;
  /** Pairs that went in (a pair with a zero or missing side is left out). */
  readonly pairs: number;
  /** False when the interval contains 1: the two rows are not told apart. */
  readonly resolved: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median() of no values: measure at least one pair.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * A small seeded generator (mulberry32): the interval of a committed result
 * must come out the same when the report is rendered again.
 */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.ceil(at);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (at - below);
}

export interface BootstrapOptions {
  /** Resamples drawn; default 2,000 (more moves the bounds by well under 1%). */
  readonly resamples?: number;
  /** Default 0.95. */
  readonly level?: number;
  /** Default 1: the same samples always give the same interval. */
  readonly seed?: number;
}

/** The median of `samples` with its percentile-bootstrap interval. */
export function bootstrapMedian(
  samples: readonly number[],
  options: BootstrapOptions = {},
): { median: number; low: number; high: number } {
  const { resamples = 2000, level = 0.95, seed = 1 } = options;
  const center = median(samples);
  if (samples.length === 1) return { median: center, low: center, high: center };
  const random = seeded(seed);
  const medians: number[] = [];
  const draw: number[] = new Array(samples.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < samples.length; i++) {
      draw[i] = samples[Math.floor(random() * samples.length)] as number;
    }
    medians.push(median(draw));
  }
  medians.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { median: center, low: quantile(medians, tail), high: quantile(medians, 1 - tail) };
}

/**
 * `subject[i] / reference[i]` for every pair i, summarised. Pairs where either
 * side is zero or not a finite number (a round where nothing finished) are left
 * out; with no pair left there is no ratio, and the caller says so.
 */
export function pairedRatio(
  subject: readonly number[],
  reference: readonly number[],
  options: BootstrapOptions = {},
): RatioInterval | undefined {
  if (subject.length !== reference.length) {
    throw new Error(
      `pairedRatio() needs one reference sample per subject sample; got ${subject.length} and ${reference.length}.`,
    );
  }
  const ratios: number[] = [];
  subject.forEach((value, i) => {
    const base = reference[i] as number;
    if (Number.isFinite(value) && Number.isFinite(base) && value > 0 && base > 0) {
      ratios.push(value / base);
    }
  });
  if (ratios.length === 0) return undefined;
  const { median: center, low, high } = bootstrapMedian(ratios, options);
  return { median: center, low, high, pairs: ratios.length, resolved: low > 1 || high < 1 };
}

/**
 * One side of rounds run in pairs, ready for pairedRatio(): `pick` of the
 * round `onSide` chooses in each pair, in pair order, and NaN where a pair
 * has no such round or it has no value, so both sides stay aligned pair for pair.
 */
export function pairSide<Round extends { readonly pair: number }>(
  rounds: readonly Round[],
  onSide: (round: Round) => boolean,
  pick: (round: Round) => number | undefined,
): number[] {
  const pairs = [...new Set(rounds.map((round) => round.pair))];
  return pairs.map((pair) => {
    const round = rounds.find((r) => r.pair === pair && onSide(r));
    return round ? (pick(round) ?? Number.NaN) : Number.NaN;
  });
}

/** `×1.23 [1.10–1.35]`, or `≈1 (not resolved) [0.91–1.08]` when the interval contains 1. */
export function formatRatio(ratio: RatioInterval | undefined): string {
  if (!ratio) return 'n/a';
  const bounds = `[${ratio.low.toFixed(2)}–${ratio.high.toFixed(2)}]`;
  return ratio.resolved ? `×${ratio.median.toFixed(2)} ${bounds}` : `≈1 (not resolved) ${bounds}`;
}
