import type { ConnectionObserver } from '../connection/physical-connection.js';
import type { LifetimeRecorder } from './lifetime-recorder.js';

/** A ConnectionObserver that records into `recorder`, tagging each event with the caller's scope. */
export function recordingObserver(
  recorder: LifetimeRecorder,
  scopeId: () => number | undefined,
): ConnectionObserver {
  return {
    onConnect: () => recorder.record('connect', scopeId(), undefined),
    onOpen: (connection) => recorder.record('open', scopeId(), connection.id),
    onQuery: (connection) => recorder.record('query', scopeId(), connection.id),
    onTransaction: (connection, what) => recorder.record(what, scopeId(), connection.id),
    onError: (connection, error) =>
      recorder.record('error', scopeId(), connection.id, error.message),
    onClose: (connection) => recorder.record('close', scopeId(), connection.id),
    onWait: () => recorder.record('wait', scopeId(), undefined),
    onWaitEnd: () => recorder.record('wait-end', scopeId(), undefined),
    onTimeout: () => recorder.record('timeout', scopeId(), undefined),
  };
}
