import { baselineProfile } from '@lifetimes/baseline';
import { perQueryProfile } from '@lifetimes/per-query';
import { perRequestProfile } from '@lifetimes/per-request';
import { pooledRegistryProfile } from '@lifetimes/pooled-registry';
import { scopedSessionProfile } from '@lifetimes/scoped-session';

/**
 * Every lifetime under test, in the order tables and pictures show them:
 * the baseline first, then from the shortest-lived connection to the
 * longest-lived pool. Adding a strategy means its package (with its
 * profile), its app folder, and one line here.
 */
export const PROFILES = [
  baselineProfile,
  perQueryProfile,
  perRequestProfile,
  scopedSessionProfile,
  pooledRegistryProfile,
] as const;

export type Profile = (typeof PROFILES)[number];
export type ProfileName = Profile['name'];

/** The strategies' names, in the order of PROFILES. */
export const PROFILE_NAMES: readonly ProfileName[] = PROFILES.map((profile) => profile.name);

/** The profile named `name`; throws on a name no profile has. */
export function profileNamed(name: string): Profile {
  const profile = PROFILES.find((candidate) => candidate.name === name);
  if (!profile) {
    throw new Error(`No strategy is named "${name}": choose one of ${PROFILE_NAMES.join(', ')}.`);
  }
  return profile;
}
