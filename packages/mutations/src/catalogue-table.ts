import type { Mutation } from './mutation.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The catalogue as the markdown table the README shows (a test keeps the two equal). */
export function catalogueTable(mutations: readonly Mutation[]): string {
  const rows = mutations.map((m) =>
    [
      `\`${m.name}\``,
      `\`${m.file}\``,
      `${m.suite.workspace}/${m.suite.file}: ${m.suite.cases.map((c) => `\`${c}\``).join(', ')}${m.suite.drivers.length > 0 ? ` on ${m.suite.drivers.join(' and ')}` : ''}`,
      cell(m.explanation),
      `[reference](${m.reference})`,
    ].join(' | '),
  );
  return [
    '| Mutation | File | Caught by | What goes wrong | Public reference |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
