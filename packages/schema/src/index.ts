export type {
  AccountTable,
  Database,
  IdempotencyKeyTable,
  PostTable,
  UserTable,
  WorldTable,
} from './database.js';
export { migrate } from './migrate.js';
export type { SeedResult } from './seed.js';
export { ACCOUNTS, OPENING_BALANCE, randomWorldNumber, seed, WORLD_ROWS } from './seed.js';
