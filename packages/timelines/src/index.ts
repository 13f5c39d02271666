export { drawTimelines, STRATEGIES } from './draw-timelines.js';
export { SCRIPT, scriptedRun, type TimelineDb } from './scripted-run.js';
export { type TimelineInput, timelineSvg } from './timeline-svg.js';
