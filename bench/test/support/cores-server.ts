import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * A stand-in app that prints the cores it was loaded on, then answers
 * /health and stops on SIGTERM: what AppProcess needs of an app.
 */
const cores = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
console.log(`loaded on cores ${cores}`);
const server = createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT));
process.once('SIGTERM', () => server.close());
