/** npm settings that say where packages come from, kept for an install outside the monorepo. */
const SOURCES =
  /^npm_config_(cache|registry|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;

/**
 * The environment for a process outside the monorepo. Inside `npm test`,
 * npm exports its settings as npm_config_*; npm_config_local_prefix, the
 * monorepo's root, would make an `npm install` in another folder install
 * into the monorepo. Only the settings that say where packages come from
 * are kept, and no Node option (a condition that picks src/) either.
 */
export function outsideEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith('npm_') && !SOURCES.test(key)) continue;
    if (key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
