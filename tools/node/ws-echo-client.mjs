// Round-trips messages through a WebSocket echo server with npm ws as the client.
// Usage: node ws-echo-client.mjs <url> '<perMessageDeflate JSON or false>'
// Prints "EXT <negotiated extensions header>" and "OK <n>" on success; exits 1 with a reason otherwise.
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';

const [url, pmdJson] = process.argv.slice(2);
const ws = new WebSocket(url, { perMessageDeflate: JSON.parse(pmdJson ?? 'false') });
const line = JSON.stringify({ type: 'chat', room: 'lobby', text: 'hello there, how is everyone doing today?' });
const messages = [
  'hi', line, line.repeat(5), line.repeat(50), line.repeat(50), 'é€😀 '.repeat(2000), randomBytes(50_000), Buffer.alloc(200_000, 7), line,
];
let i = 0;
const fail = (why) => { console.log(`FAIL ${why}`); process.exit(1); };
ws.on('upgrade', (res) => console.log(`EXT ${res.headers['sec-websocket-extensions'] ?? ''}`));
ws.on('open', () => ws.send(messages[0]));
ws.on('message', (data, isBinary) => {
  const expected = messages[i];
  const ok = typeof expected === 'string' ? !isBinary && data.toString() === expected : isBinary && Buffer.compare(data, expected) === 0;
  if (!ok) fail(`message ${i} differs`);
  if (++i === messages.length) { console.log(`OK ${i}`); ws.close(1000, 'done'); return; }
  ws.send(messages[i]);
});
ws.on('close', (code) => { if (i !== messages.length) fail(`closed early with ${code}`); process.exit(0); });
ws.on('error', (e) => fail(e.message));
setTimeout(() => fail('timeout'), 20_000);
