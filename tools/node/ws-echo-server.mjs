// Reference echo server on npm ws, used to check the conformance client (gust-conformance) against a server
// that is known to pass Autobahn|Testsuite.
//   node tools/node/ws-echo-server.mjs PORT [--max-fragments N]
// Prints "listening PORT" once it accepts connections. --max-fragments overrides ws's server default (16384).
import { WebSocketServer } from 'ws';

const args = process.argv.slice(2);
const port = Number(args[0] ?? 9001);
const options = { port, host: '127.0.0.1', perMessageDeflate: true, maxPayload: 0 };
const mf = args.indexOf('--max-fragments');
if (mf >= 0) options.maxFragments = Number(args[mf + 1]);

const wss = new WebSocketServer(options);
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
wss.on('listening', () => console.log(`listening ${wss.address().port}`));
const stop = () => wss.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
