/** The console backend as an Electron utilityProcess (desktop): its parentPort delivers MessageEvents. */
import type { BackendConfig, MessagePortLike } from '../../console-api/protocol.ts';
import { serveBackend } from './host.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('utility-entry.ts must run in an Electron utilityProcess');
const flag = process.argv.find((arg) => arg.startsWith('--vigie-config='));
if (!flag) throw new Error('utility-entry.ts needs --vigie-config=<base64url JSON>');
const config = Object.freeze(
  JSON.parse(Buffer.from(flag.slice('--vigie-config='.length), 'base64url').toString('utf8')) as BackendConfig,
);
const port: MessagePortLike = {
  postMessage: (message) => parentPort.postMessage(message),
  on: (_event, listener) => parentPort.on('message', (event) => listener(event.data)),
};
serveBackend(port, config, () => process.exit(0));
