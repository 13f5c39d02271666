import { runContractSuite } from '@lifetimes/core/contract';
import { perRequestProfile } from '../src/index.js';

runContractSuite(perRequestProfile);
