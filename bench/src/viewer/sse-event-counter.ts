const HELLO = Buffer.from('event: hello');
/** How each lifetime event's line starts; the hello's own `data:` line starts with `{"strategy"`. */
const EVENT = Buffer.from('data: {"type"');

/**
 * Counts the lifetime events of a live-view stream on its raw bytes, with
 * the native search: never decoded or split into lines. The viewer that
 * uses it runs at idle priority on the cores the app and the load
 * generator share, so it keeps up on the CPU they leave idle or falls
 * behind, and the app drops a viewer that falls too far behind.
 */
export class SseEventCounter {
  #hello = false;
  #events = 0;
  /** The end of the previous chunk, so a marker split between two chunks is found once. */
  #carry: Buffer = Buffer.alloc(0);

  /** Whether the stream's hello has arrived; events are counted from it on. */
  get hello(): boolean {
    return this.#hello;
  }

  get events(): number {
    return this.#events;
  }

  push(chunk: Buffer): void {
    const bytes = this.#carry.length === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    let from = 0;
    if (!this.#hello) {
      const at = bytes.indexOf(HELLO);
      if (at === -1) {
        this.#carry = bytes.subarray(Math.max(0, bytes.length - HELLO.length + 1));
        return;
      }
      this.#hello = true;
      from = at + HELLO.length;
    }
    for (let at = bytes.indexOf(EVENT, from); at !== -1; at = bytes.indexOf(EVENT, at + 1)) {
      this.#events++;
    }
    // Shorter than a marker, so the carry never holds a whole one counted already.
    this.#carry = bytes.subarray(Math.max(from, bytes.length - EVENT.length + 1));
  }
}
