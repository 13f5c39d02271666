/**
 * A database URL fit for events and logs: a PostgreSQL password is removed,
 * the rest is kept so the engine stays recognisable. A SQLite URL is a path.
 */
export function redactUrl(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}
