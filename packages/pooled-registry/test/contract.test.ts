import { runContractSuite } from '@lifetimes/core/contract';
import { pooledRegistryProfile } from '../src/index.js';

runContractSuite(pooledRegistryProfile);
