/**
 * What the bench's results files hold, for the course that quotes them:
 * docs reads docs/results/*.json through these types, and prints ratios
 * the way the bench's own reports do.
 */
export type { FleetCell, FleetResults } from './fleet/fleet-results.js';
export type { BenchResults, Cell } from './matrix/results.js';
export type { RuntimesResults } from './micro/runtimes-report.js';
export { formatRatio, type RatioInterval } from './shared/paired-ratio.js';
export type { ViewerCell, ViewerResults } from './viewer/viewer-results.js';
