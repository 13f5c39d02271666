import { runContractSuite } from '@lifetimes/core/contract';
import { scopedSessionProfile } from '../src/index.js';

runContractSuite(scopedSessionProfile);
