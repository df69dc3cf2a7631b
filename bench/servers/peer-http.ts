import { createServer, type Server } from 'node:http';
import express from 'express';

/**
 * The HTTP side every peer server shares: express with `/ping` (the loop-latency probe), on
 * 127.0.0.1 and a free port, printing the same `listening on` line Parley prints.
 */
export function peerHttpServer(): Server {
  const app = express();
  app.get('/ping', (_request, response) => {
    response.type('text/plain').send('pong');
  });
  return createServer(app);
}

export function listenAndAnnounce(server: Server): void {
  server.listen(0, '127.0.0.1', 4096, () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') {
      process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
    }
  });
  process.on('SIGTERM', () => process.exit(0));
}
