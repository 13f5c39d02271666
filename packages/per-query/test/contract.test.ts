import { runContractSuite } from '@lifetimes/core/contract';
import { perQueryProfile } from '../src/index.js';

runContractSuite(perQueryProfile);
