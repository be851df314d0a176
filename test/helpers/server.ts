import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Counters shared by one or more servers, so a test can see global as well as per-host maxima. */
export interface Counter {
  requests: number;
  inFlight: number;
  maxInFlight: number;
}

export function createCounter(): Counter {
  return { requests: 0, inFlight: 0, maxInFlight: 0 };
}

/** A canned answer; `body` may be a function of the request for dynamic fixtures. */
export interface StaticRoute {
  status?: number;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Extra latency for this route, in ms. */
  delayMs?: number;
}

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;
export type Route = StaticRoute | RouteHandler;

export interface TestServer {
  /** e.g. http://127.0.0.3:41234 */
  origin: string;
  host: string;
  port: number;
  /** `${origin}${path}` */
  url(path: string): string;
  /** Mutable: tests add or replace routes between runs. */
  routes: Map<string, Route>;
  /** Counters for this server alone. */
  stats: Counter;
  /** Requests per path (with query). */
  hits: Map<string, number>;
  /** Every request's path and headers, in arrival order. */
  log: { path: string; headers: http.IncomingHttpHeaders }[];
  /** TCP connections accepted (keep-alive reuse shows as fewer connections than requests). */
  connections: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Loopback address to bind; 127.0.0.1 by default. Any of 127.0.0.0/8 works on Linux. */
  host?: string;
  /** Latency added before every answer, in ms. */
  latencyMs?: number;
  /** Counters shared with other servers (besides this server's own). */
  shared?: Counter;
  routes?: Record<string, Route>;
  /** Answer for paths without a route; 404 by default. */
  fallback?: Route;
}

function enter(counter: Counter): void {
  counter.requests++;
  counter.inFlight++;
  counter.maxInFlight = Math.max(counter.maxInFlight, counter.inFlight);
}

/**
 * Starts a fixture server on a loopback address and port 0, counting requests and
 * the most requests in flight at once. Close it in afterAll/afterEach.
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const routes = new Map<string, Route>(Object.entries(options.routes ?? {}));
  const stats = createCounter();
  const hits = new Map<string, number>();
  const log: TestServer['log'] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    const counters = options.shared ? [stats, options.shared] : [stats];
    counters.forEach(enter);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    log.push({ path, headers: req.headers });
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      for (const counter of counters) counter.inFlight--;
    };
    res.on('close', leave);
    try {
      const route = routes.get(path) ?? routes.get(path.split('?')[0]!) ?? options.fallback;
      const latency = (options.latencyMs ?? 0) + (route && typeof route !== 'function' ? (route.delayMs ?? 0) : 0);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      } else if (typeof route === 'function') {
        await route(req, res);
      } else {
        res.writeHead(route.status ?? 200, route.headers ?? {});
        res.end(route.body ?? '');
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    host,
    port,
    url: (path) => `${origin}${path}`,
    routes,
    stats,
    hits,
    log,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
