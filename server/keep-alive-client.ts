/**
 * A minimal HTTP/1.1 client, used by the open-loop generator (bench/open-loop.ts) and by the API's warm-up over
 * loopback (warm-up.ts): a pool of keep-alive connections, each carrying one request at a time (as independent
 * clients would; no pipelining), requests written as prebuilt bytes in one `write`, answers read by status line and
 * `content-length` (or a chunked body's last chunk). It does far less per request than `http.request`
 * (no request and response objects, header objects or stream machinery), and that CPU is taken from the cores the
 * API under test shares.
 */
import net from 'node:net';

export interface Answer {
  status: number;
}

interface Pending {
  resolve: (answer: Answer | null) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');

class Connection {
  readonly socket: net.Socket;
  pending: Pending | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  closed = false;

  constructor(host: string, port: number, onIdle: (connection: Connection) => void, onGone: (c: Connection) => void) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      const answer = this.parse();
      if (answer === null || this.pending === null) return;
      const { resolve } = this.pending;
      this.pending = null;
      resolve({ status: answer.status });
      if (answer.close) this.socket.destroy();
      else onIdle(this);
    });
    const gone = () => {
      if (this.closed) return;
      this.closed = true;
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(null);
      onGone(this);
    };
    this.socket.on('error', gone);
    this.socket.on('close', gone);
  }

  /** One complete answer off the front of the buffer, or null while it is incomplete. */
  private parse(): { status: number; close: boolean } | null {
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) return null;
    const head = this.buffer.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const close = /\r\nconnection:\s*close/.test(lower);
    const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    let size: number;
    if (length) {
      size = end + 4 + Number(length[1]);
      if (this.buffer.length < size) return null;
    } else if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
      const last = this.buffer.indexOf(LAST_CHUNK, end + 2);
      if (last < 0) return null;
      size = last + LAST_CHUNK.length;
    } else {
      size = end + 4;
    }
    this.buffer = this.buffer.subarray(size);
    return { status, close };
  }

  send(request: Buffer, pending: Pending): void {
    this.pending = pending;
    this.socket.write(request);
  }
}

export class KeepAliveClient {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<{ request: Buffer; pending: Pending }> = [];
  private readonly all = new Set<Connection>();
  /** Connections opened so far. */
  opened = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxConnections: number,
  ) {}

  /** The bytes of a POST with these headers and body, to send as many times as wanted. */
  static post(target: URL, headers: Record<string, string>, body: string): Buffer {
    const lines = [`POST ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    lines.push(`content-length: ${Buffer.byteLength(body)}`);
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }

  /** Resolves with the answer's status, or null when the connection failed before a whole answer came back. */
  request(request: Buffer): Promise<Answer | null> {
    return new Promise((resolve) => {
      const pending = { resolve };
      const connection = this.idle.pop() ?? (this.all.size < this.maxConnections ? this.open() : null);
      if (connection) connection.send(request, pending);
      else this.waiting.push({ request, pending });
    });
  }

  private open(): Connection {
    this.opened += 1;
    const connection = new Connection(
      this.host,
      this.port,
      (free) => {
        const next = this.waiting.shift();
        if (next) free.send(next.request, next.pending);
        else this.idle.push(free);
      },
      (gone) => {
        this.all.delete(gone);
        const at = this.idle.indexOf(gone);
        if (at >= 0) this.idle.splice(at, 1);
        const next = this.waiting.shift();
        if (next) this.open().send(next.request, next.pending);
      },
    );
    this.all.add(connection);
    return connection;
  }

  close(): void {
    for (const connection of this.all) connection.socket.destroy();
    this.all.clear();
    this.idle.length = 0;
  }
}
