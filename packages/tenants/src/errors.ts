import { LifetimeError } from '@lifetimes/core';

/** provision() found the tenant's database already there; nothing was changed. */
export class TenantExistsError extends LifetimeError {
  constructor(id: string) {
    super(
      'TENANT_EXISTS',
      409,
      `Tenant "${id}" already exists; provisioning it again would hand out its data. ` +
        'Use the existing tenant, or pick another id.',
    );
  }
}

/**
 * A valid tenant id whose PostgreSQL database name would pass 63 bytes, where
 * the server silently truncates identifiers and two tenants could share one.
 */
export class TenantIdTooLongError extends LifetimeError {
  constructor(id: string, database: string, maxIdLength: number) {
    super(
      'TENANT_ID_TOO_LONG',
      400,
      `Tenant id "${id}" is too long: its database "${database}" would exceed PostgreSQL's ` +
        `63-byte limit. Use at most ${maxIdLength} characters, or a shorter default database name.`,
    );
  }
}

/** A tenant id failed the strict pattern; nothing was touched. */
export class BadTenantIdError extends LifetimeError {
  constructor(raw: string) {
    super(
      'BAD_TENANT_ID',
      400,
      `Tenant id ${JSON.stringify(raw.slice(0, 80))} is not valid: use 1 to 63 characters of ` +
        'a-z, 0-9, "_" and "-", starting with a letter or digit.',
    );
  }
}

/** A well-formed tenant id that is not in the catalog. */
export class UnknownTenantError extends LifetimeError {
  constructor(id: string) {
    super(
      'UNKNOWN_TENANT',
      404,
      `Tenant "${id}" does not exist. Provision it first (POST /tenants) or check the x-tenant header.`,
    );
  }
}
