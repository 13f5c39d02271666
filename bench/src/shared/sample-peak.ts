/** A running sampler: stop() ends it and gives the highest value it read. */
export interface PeakSampler {
  stop(): Promise<number>;
}

/**
 * Reads `read()` every `everyMs` until stopped and keeps the highest value:
 * a round's peak of something only polling can see (sessions on a server,
 * clients at a pooler). A read that fails counts as 0.
 */
export function samplePeak(read: () => Promise<number>, everyMs = 50): PeakSampler {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await read().catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}
