import type { LifetimeEvent } from '@lifetimes/core';
import { describe, expect, it } from 'vitest';
import { toLiveEvent } from '../src/live/live-event.js';

const at = (event: Omit<LifetimeEvent, 'time'>): LifetimeEvent => ({ ...event, time: 1234.56789 });

describe('toLiveEvent', () => {
  it('keeps the type, the time to the microsecond, and the ids', () => {
    expect(toLiveEvent(at({ type: 'acquire', scopeId: 7, connectionId: 'pg-3' }))).toEqual({
      type: 'acquire',
      t: 1234.568,
      scope: 7,
      conn: 'pg-3',
    });
    expect(toLiveEvent(at({ type: 'wait', scopeId: undefined, connectionId: undefined }))).toEqual({
      type: 'wait',
      t: 1234.568,
    });
  });

  it.each([
    [
      'error',
      `duplicate key value violates unique constraint: Key (username)=(alice) already exists`,
    ],
    ['leak', 'held for more than 100 ms; acquired at:\nError: acquired here\n    at select ...'],
    ['error', 'teardown: select * from users where password = $1'],
  ] as const)('never sends the detail of %s events', (type, detail) => {
    const live = toLiveEvent(at({ type, scopeId: 1, connectionId: 'sqlite-1', detail }));
    expect(live).toEqual({ type, t: 1234.568, scope: 1, conn: 'sqlite-1' });
  });

  it.each([
    ['engine-create', 'postgres://app@db.internal:5432/shop__acme', 'shop__acme'],
    ['evict', 'sqlite:/var/lib/app/tenants/acme.db?max_page_count=25000', 'acme.db'],
    ['engine-close', 'sqlite:./data/app.db', 'app.db'],
  ] as const)('names the engine of %s by its database alone', (type, url, engine) => {
    const live = toLiveEvent(
      at({ type, scopeId: undefined, connectionId: undefined, detail: url }),
    );
    expect(live).toEqual({ type, t: 1234.568, engine });
  });

  it.each([
    'postgres://app@db.internal:5432/',
    'postgres://app@db.internal:5432/name%20with%20spaces',
    'sqlite:/tmp/<script>.db',
    'not a url',
  ])('leaves out an engine name that does not look like one: %s', (url) => {
    const live = toLiveEvent(
      at({ type: 'engine-create', scopeId: undefined, connectionId: undefined, detail: url }),
    );
    expect(live).toEqual({ type: 'engine-create', t: 1234.568 });
  });
});
