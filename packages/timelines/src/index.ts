export { DRIVERS, type DrawOptions, drawTimelines, STRATEGIES } from './draw-timelines.js';
export { factsOf } from './facts-of.js';
export {
  BURST_SIZE,
  SCRIPT,
  type ScriptedRequest,
  scriptedRun,
  TENANTS,
  type TimelineDb,
} from './scripted-run.js';
export { createTimelineDatabase, type TimelineDriver } from './timeline-database.js';
export { type TimelineFacts, type TimelineModel, timelineModel } from './timeline-model.js';
export { type TimelineInput, timelineSvg } from './timeline-svg.js';
