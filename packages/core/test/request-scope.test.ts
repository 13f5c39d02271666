import { describe, expect, it } from 'vitest';
import { RequestScope } from '../src/authoring.js';

describe('RequestScope', () => {
  it('runs teardowns once, most recent first, and reports failures without stopping', async () => {
    const errors: string[] = [];
    const scope = new RequestScope((error) => errors.push(error.message));
    const ran: string[] = [];
    scope.onTeardown(() => {
      ran.push('first registered');
    });
    scope.onTeardown(() => {
      throw new Error('middle failed');
    });
    scope.onTeardown(async () => {
      ran.push('last registered');
    });
    const ending = scope.end();
    expect(scope.end()).toBe(ending);
    expect(scope.closed).toBe(true);
    await ending;
    await scope.end();
    expect(ran).toEqual(['last registered', 'first registered']);
    expect(errors).toEqual(['middle failed']);
  });

  it('refuses a teardown registered after it ended', async () => {
    const scope = new RequestScope(() => {});
    await scope.end();
    expect(() => scope.onTeardown(() => {})).toThrow(/would never run/);
  });
});
