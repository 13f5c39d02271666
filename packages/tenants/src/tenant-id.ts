import { BadTenantIdError } from './errors.js';

declare const validated: unique symbol;

/**
 * A tenant id that passed TENANT_ID_PATTERN. Catalogs build file paths and
 * database names only from this type, so raw header text can never reach a
 * path (`../x`), a special name (`:memory:`) or an identifier unchecked.
 */
export type TenantId = string & { readonly [validated]: true };

/** Lower case, digits, `_` and `-`; no dot, slash or percent, so no path or URL trickery. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Validates `raw` before anything is touched; BadTenantIdError (400) when it does not match. */
export function parseTenantId(raw: string): TenantId {
  if (!TENANT_ID_PATTERN.test(raw)) throw new BadTenantIdError(raw);
  return raw as TenantId;
}
