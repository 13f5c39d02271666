/** What the bench asks the viewer process over IPC: open the stream, the lifetime events it has counted on it so far, close it. */
export interface ViewerRequest {
  readonly type: 'watch' | 'count' | 'unwatch';
}

/** What the viewer process tells the bench over IPC: it is up, the stream's hello has arrived, its count, the stream is closed. */
export type ViewerReport =
  | { readonly type: 'ready' }
  | { readonly type: 'hello' }
  | { readonly type: 'events'; readonly events: number }
  | { readonly type: 'unwatched' };
