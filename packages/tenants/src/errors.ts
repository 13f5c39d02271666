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
