/** Polls `check` every 50 ms until it is true or `ms` have passed; a check that throws counts as false. */
export async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check().catch(() => false);
}
