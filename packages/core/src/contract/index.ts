export { sleep } from './case.js';
export type { Served, Subject } from './contract-context.js';
export { ContractContext } from './contract-context.js';
export type {
  ContractCase,
  ContractDb,
  ContractSpec,
  ContractStrategyOptions,
} from './contract-spec.js';
export { eventually } from './eventually.js';
export { httpGet } from './http-probe.js';
export { runContractSuite } from './run-contract-suite.js';
