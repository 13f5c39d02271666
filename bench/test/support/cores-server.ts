import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * A stand-in app that prints the cores it was loaded on, then answers
 * every path with its pid, says where it listens and stops on SIGTERM: what AppProcess needs of an app.
 */
const cores = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
console.log(`loaded on cores ${cores}`);
const server = createServer((_req, res) => res.end(String(process.pid))).listen(
  Number(process.env.PORT),
  () => {
    const address = server.address();
    if (typeof address === 'object' && address) {
      console.log(`cores-server: listening on http://127.0.0.1:${address.port}`);
    }
  },
);
process.once('SIGTERM', () => server.close());
