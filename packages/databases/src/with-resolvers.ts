/** A promise with its settle functions outside it, for a test to hold work at a gate. */
export interface Resolvers<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/**
 * `Promise.withResolvers()`, which Node 20 lacks (it arrives in Node 22): the
 * tests that hold a connection at a gate need the gate's resolve outside the
 * executor, and each spelled out the same `let resolve; new Promise(...)` pair.
 */
export function withResolvers<T = void>(): Resolvers<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}
