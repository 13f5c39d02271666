export { applyEdits } from './apply-edits.js';
export { CATALOGUE } from './catalogue.js';
export { catalogueTable } from './catalogue-table.js';
export { EXERCISES, type Exercise } from './exercises.js';
export type { Edit, Mutation, Suite } from './mutation.js';
export { type MutationResult, runCatalogue } from './run-catalogue.js';
export { mutationOf } from './run-exercise.js';
