/** What the bench asks the viewer process over IPC: the lifetime events it has counted so far. */
export interface ViewerRequest {
  readonly type: 'count';
}

/** What the viewer process tells the bench over IPC: the stream's hello has arrived, or its count. */
export type ViewerReport =
  | { readonly type: 'hello' }
  | { readonly type: 'events'; readonly events: number };
