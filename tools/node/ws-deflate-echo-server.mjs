// Echo server on npm ws for Gust's client tests. Usage: node ws-deflate-echo-server.mjs '<perMessageDeflate JSON or false>'
// Prints "PORT <n>" then echoes every message. A text message "close <code> <reason>" makes it close with that code;
// it prints "CLIENT_CLOSED <code> <reason>" when a client closes, and "EXT <extensions>" per connection.
import { WebSocketServer } from 'ws';

const pmd = JSON.parse(process.argv[2] ?? 'false');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: pmd, maxPayload: 64 << 20 });
wss.on('listening', () => console.log(`PORT ${wss.address().port}`));
wss.on('connection', (ws, req) => {
  console.log(`EXT ${req.headers['sec-websocket-extensions'] ?? ''} -> ${ws.extensions}`);
  console.log(`HDR ${req.headers['x-test'] ?? ''} PROTO ${ws.protocol}`);
  ws.on('message', (data, isBinary) => {
    const s = isBinary ? null : data.toString();
    if (s && s.startsWith('close ')) {
      const [, code, ...reason] = s.split(' ');
      ws.close(Number(code), reason.join(' '));
      return;
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code, reason) => console.log(`CLIENT_CLOSED ${code} ${reason}`));
});
setTimeout(() => process.exit(3), 120_000).unref?.();
