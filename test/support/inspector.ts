import { WebSocket } from 'ws';

/**
 * Runs `expression` inside a child started with `-L <port>`, through the Node inspector: how a
 * test makes a real server process meet a truly unexpected exception without any test hook in
 * the server's own code.
 */
export async function evaluateInChild(inspectPort: number, expression: string): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error('the inspector lists no target');
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const answered = new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression } }));
  await answered;
  socket.close();
}
