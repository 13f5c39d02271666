import { perRequestProfile } from '@lifetimes/per-request';

/** The module `@lifetimes/strategies` exports, as a test replaces it. */
type StrategiesModule = typeof import('./index.js');

/** The name the added profile goes by. */
export const ADDED_PROFILE = 'per-statement';

/**
 * This package as it would be with one more strategy in PROFILES: per-request's
 * profile under the name `per-statement` and a colour of its own, so its
 * traits are per-request's. For tests that prove a part of the project picks
 * up a new profile by itself, through
 * `vi.mock('@lifetimes/strategies', async (original) => (await import('@lifetimes/strategies/with-added-profile')).withAddedProfile(await original()))`.
 */
export function withAddedProfile(real: StrategiesModule): StrategiesModule {
  const added = {
    ...perRequestProfile,
    name: ADDED_PROFILE,
    lifetime: `${ADDED_PROFILE}: per-request under another name`,
    color: '#00897b',
  };
  // The real list's type names only the real profiles; the added one is a
  // profile like them, which is the point of the test.
  const profiles = [...real.PROFILES, added] as unknown as StrategiesModule['PROFILES'];
  return {
    ...real,
    PROFILES: profiles,
    PROFILE_NAMES: profiles.map((profile) => profile.name),
    profileNamed: (name: string) =>
      profiles.find((profile) => profile.name === name) ?? real.profileNamed(name),
  };
}

/**
 * `rows` with per-request's copied under the added profile's name: what a
 * run with the added profile would have measured, since it is per-request.
 */
export function withAddedRows<Row extends { readonly strategy: string }>(
  rows: readonly Row[],
): Row[] {
  const copies = rows
    .filter((row) => row.strategy === perRequestProfile.name)
    // A name the row types do not know: the list they are made from is the one that grew.
    .map((row) => ({ ...row, strategy: ADDED_PROFILE as Row['strategy'] }));
  return [...rows, ...copies];
}
