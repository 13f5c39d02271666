import { runContractSuite } from '@lifetimes/core/contract';
import { baselineProfile } from '../src/index.js';

runContractSuite(baselineProfile);
