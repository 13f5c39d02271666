import type { TimelineFacts } from './timeline-model.js';

/** The facts a picture embeds in its root element, read back; undefined when it embeds none. */
export function factsOf(svg: string): TimelineFacts | undefined {
  const root = /^<svg [^>]*>/.exec(svg)?.[0];
  if (!root) return undefined;
  const attribute = (name: string) => new RegExp(` data-${name}="([^"]*)"`).exec(root)?.[1];
  const number = (name: string) => {
    const value = attribute(name);
    return value === undefined ? Number.NaN : Number(value);
  };
  const facts: TimelineFacts = {
    opened: number('opened'),
    lanes: number('lanes'),
    holds: number('holds'),
    waits: number('waits'),
    evicted: number('evicted'),
    enginesClosed: number('engines-closed'),
    tenants: attribute('tenants')?.split(' ') ?? [],
  };
  return Object.values(facts).some((value) => Number.isNaN(value)) ? undefined : facts;
}
