import { startViewer } from '../../src/viewer/live-viewer.js';

/**
 * A bench that dies while its viewer watches: starts a viewer of the app
 * at the URL given, says "watching" on stdout and lives on (the viewer's
 * IPC channel keeps it up) until the test kills it.
 */
const [url] = process.argv.slice(2);
if (url === undefined) throw new Error('Usage: watch-until-killed.ts <app base URL>');
await (await startViewer(url)).watch();
process.stdout.write('watching\n');
