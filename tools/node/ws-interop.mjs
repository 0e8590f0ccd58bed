// Drives Gust's WebSocket server with npm `ws` as the client, one scenario per run.
//   node ws-interop.mjs <port> <scenario>
// Prints one JSON result line on stdout; exits 0 when the scenario ran to its end (the JUnit test
// judges the values), 1 on an error, 3 on timeout.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';

const [port, scenario] = process.argv.slice(2);
const TIMEOUT_MS = 20_000;

/** Opens a client on `path`; resolves once open. Adds next() (next message) and closed (close event). */
function connect(path, options = { perMessageDeflate: false }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, options);
    const inbox = [], waiters = [];
    ws.errors = [];
    ws.on('message', (data, isBinary) => {
      const m = { data, isBinary };
      if (waiters.length) waiters.shift()(m); else inbox.push(m);
    });
    ws.on('upgrade', res => { ws.responseHeaders = res.headers; });
    ws.on('error', e => ws.errors.push(String(e.message)));
    ws.closed = new Promise(res => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.next = () => inbox.length ? Promise.resolve(inbox.shift()) : new Promise(r => waiters.push(r));
    ws.pending = () => inbox.length;
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const text = m => ({ text: m.data.toString('utf8'), isBinary: m.isBinary });
const hex = m => ({ hex: Buffer.from(m.data).toString('hex'), isBinary: m.isBinary });
const digest = m => ({ length: m.data.length, sha256: createHash('sha256').update(m.data).digest('hex'), isBinary: m.isBinary });
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** The bytes the Java test also computes: byte i = (i * 13) & 0xff. */
function pattern(length) {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = (i * 13) & 0xff;
  return b;
}

/** Sends `parts` as one fragmented message (first frames fin:false, last fin:true). */
function sendFragmented(ws, parts, binary) {
  parts.forEach((p, i) => ws.send(p, { binary, fin: i === parts.length - 1 }));
}

async function roundTrip(ws, data, options) {
  ws.send(data, options);
  return ws.next();
}

const scenarios = {
  /** Text, unicode text, binary, 10 MiB binary, fragmented text and binary, through /echo. */
  async echo() {
    const ws = await connect('/echo');
    const r = {
      text: text(await roundTrip(ws, 'hello')),
      unicode: text(await roundTrip(ws, 'héllo wörld ✓')),
      binary: hex(await roundTrip(ws, Buffer.from([0, 1, 2, 0xff]))),
      big: digest(await roundTrip(ws, pattern(10 << 20))),
    };
    sendFragmented(ws, ['frag', 'men', 'ted'], false);
    r.fragmentedText = text(await ws.next());
    sendFragmented(ws, [Buffer.from([1, 2]), Buffer.from([3]), Buffer.from([4, 5])], true);
    r.fragmentedBinary = hex(await ws.next());
    ws.close(1000, 'done');
    r.close = await ws.closed;
    r.errors = ws.errors;
    return r;
  },

  /** ws offers permessage-deflate (its default); Gust declines and messages still flow. */
  async deflate() {
    const ws = await connect('/echo', { perMessageDeflate: true });
    const r = {
      responseExtensions: ws.responseHeaders['sec-websocket-extensions'] ?? null,
      negotiated: ws.extensions,
      small: text(await roundTrip(ws, 'hello')),
      // Bigger than ws's 1 KiB compression threshold: it would be compressed if deflate had been agreed.
      large: digest(await roundTrip(ws, pattern(64 << 10))),
    };
    ws.close(1000, 'done');
    r.close = await ws.closed;
    r.errors = ws.errors;
    return r;
  },

  /** Three clients in /room/blue; each sends one message and lists what it receives. */
  async pubsub() {
    const clients = await Promise.all([0, 1, 2].map(() => connect('/room/blue')));
    clients.forEach((ws, i) => ws.send(`from-${i}`));
    const received = await Promise.all(clients.map(async ws => [text(await ws.next()).text, text(await ws.next()).text]));
    await sleep(300); // anything more (such as a sender's own message) would arrive now
    const extra = clients.map(ws => ws.pending());
    clients.forEach(ws => ws.close(1000));
    await Promise.all(clients.map(ws => ws.closed));
    return { received: received.map(r => r.sort()), extra };
  },

  /** The server closes with 4001 "bye" when asked to. */
  async serverClose() {
    const ws = await connect('/close');
    ws.send('close-me');
    return { close: await ws.closed, errors: ws.errors };
  },

  /** The client closes with 1000 "done"; the Java side checks its close callback. */
  async clientClose() {
    const ws = await connect('/client-close');
    ws.close(1000, 'done');
    return { close: await ws.closed, errors: ws.errors };
  },

  /** A message over the route's 1 KiB limit: the server closes with 1009. */
  async oversize() {
    const ws = await connect('/small');
    const echoed = text(await roundTrip(ws, 'fits'));
    ws.send(pattern(2048));
    return { echoed, close: await ws.closed, errors: ws.errors };
  },
};

async function main() {
  const run = scenarios[scenario];
  if (!run) throw new Error(`unknown scenario '${scenario}'; known: ${Object.keys(scenarios).join(', ')}`);
  const timer = setTimeout(() => {
    console.log(JSON.stringify({ scenario, error: `timeout after ${TIMEOUT_MS} ms` }));
    process.exit(3);
  }, TIMEOUT_MS);
  const result = await run();
  clearTimeout(timer);
  console.log(JSON.stringify({ scenario, ...result }));
}

main().catch(e => {
  console.log(JSON.stringify({ scenario, error: String(e && e.stack || e) }));
  process.exit(1);
});
