/**
 * The fault proxy's vocabulary, measured on the client's side of a plain TCP echo server: what a client sees
 * for down, reset_peer, latency and timeout, and that the address stays while the upstream moves.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Address, FaultProxy } from '../fault-proxy.ts';

const servers: net.Server[] = [];
const proxies: FaultProxy[] = [];

async function echoServer(tag = ''): Promise<Address> {
  const server = net.createServer((socket) =>
    socket.on('error', () => undefined).on('data', (chunk) => socket.write(tag + chunk.toString())),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

async function proxyTo(upstream: Address): Promise<FaultProxy> {
  const proxy = await FaultProxy.start('echo', upstream);
  proxies.push(proxy);
  return proxy;
}

/** A connected client that collects what it receives and how it ended. */
async function client(address: Address) {
  const socket = net.connect(address.port, address.host);
  const state = { received: '', error: undefined as NodeJS.ErrnoException | undefined, closed: false };
  socket.on('data', (chunk) => {
    state.received += chunk.toString();
  });
  socket.on('error', (e) => {
    state.error = e;
  });
  socket.on('close', () => {
    state.closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, state };
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let upstream: Address;
beforeAll(async () => {
  upstream = await echoServer();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
afterAll(async () => {
  for (const server of servers) server.close();
});

describe('fault proxy', () => {
  it('passes bytes both ways unchanged and counts them', async () => {
    const proxy = await proxyTo(upstream);
    const { socket, state } = await client(proxy.address);
    socket.write('hello');
    await waitFor(() => state.received === 'hello');
    expect(proxy.stats).toMatchObject({ accepted: 1, bytesUpstream: 5, bytesDownstream: 5 });
    socket.destroy();
  });

  it('down closes open connections and refuses new ones; enable listens again on the same address', async () => {
    const proxy = await proxyTo(upstream);
    const address = proxy.address;
    const { state } = await client(address);
    await proxy.disable();
    await waitFor(() => state.closed);
    await expect(client(address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.enable();
    expect(proxy.address).toEqual(address);
    const again = await client(address);
    again.socket.write('back');
    await waitFor(() => again.state.received === 'back');
    again.socket.destroy();
  });

  it('reset_peer resets open and new connections (ECONNRESET) until removed', async () => {
    const proxy = await proxyTo(upstream);
    const open = await client(proxy.address);
    proxy.addToxic('reset', { type: 'reset_peer', timeoutMs: 0 });
    await waitFor(() => open.state.error !== undefined);
    expect(open.state.error?.code).toBe('ECONNRESET');
    // A new connection is reset as soon as the proxy accepts it, possibly before the client saw it connected.
    const fresh = net.connect(proxy.address.port, proxy.address.host);
    const code = await new Promise((resolve) =>
      fresh.once('error', (e: NodeJS.ErrnoException) => resolve(e.code)),
    );
    expect(code).toBe('ECONNRESET');
    proxy.removeToxic('reset');
    const after = await client(proxy.address);
    after.socket.write('ok');
    await waitFor(() => after.state.received === 'ok');
    after.socket.destroy();
    expect(proxy.stats.reset).toBe(2);
  });

  it('latency delays each direction, in order', async () => {
    const proxy = await proxyTo(upstream);
    proxy.addToxic('slow', { type: 'latency', latencyMs: 100 });
    const { socket, state } = await client(proxy.address);
    const started = Date.now();
    socket.write('a');
    socket.write('b');
    socket.write('c');
    await waitFor(() => state.received === 'abc');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    proxy.removeToxic('slow');
    const quick = Date.now();
    socket.write('d');
    await waitFor(() => state.received === 'abcd');
    expect(Date.now() - quick).toBeLessThan(100);
    socket.destroy();
  });

  it('timeout 0 holds the data without dropping it; removing the toxic lets it through', async () => {
    const proxy = await proxyTo(upstream);
    const { socket, state } = await client(proxy.address);
    proxy.addToxic('hold', { type: 'timeout', timeoutMs: 0 });
    socket.write('held');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(state.received).toBe('');
    expect(state.closed).toBe(false);
    proxy.removeToxic('hold');
    await waitFor(() => state.received === 'held');
    socket.destroy();
  });

  it('timeout with a time closes the connection after it, without passing the data', async () => {
    const proxy = await proxyTo(upstream);
    const { socket, state } = await client(proxy.address);
    const started = Date.now();
    proxy.addToxic('cut', { type: 'timeout', timeoutMs: 200 });
    socket.write('lost');
    await waitFor(() => state.closed);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(state.received).toBe('');
    expect(state.error).toBeUndefined();
  });

  it('a toxic on one stream leaves the other alone: requests reach the server, replies are held', async () => {
    let seen = '';
    const server = net.createServer((socket) =>
      socket
        .on('error', () => undefined)
        .on('data', (chunk) => {
          seen += chunk.toString();
          socket.write(chunk);
        }),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = await proxyTo({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    const { socket, state } = await client(proxy.address);
    proxy.addToxic('replies', { type: 'timeout', timeoutMs: 0, stream: 'downstream' });
    socket.write('request');
    await waitFor(() => seen === 'request');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.received).toBe('');
    proxy.removeToxic('replies');
    await waitFor(() => state.received === 'request');
    socket.destroy();
  });

  it('keeps its address when the upstream moves (a restarted container on a new port)', async () => {
    const proxy = await proxyTo(upstream);
    const moved = await echoServer('moved:');
    proxy.setUpstream(moved);
    const { socket, state } = await client(proxy.address);
    socket.write('x');
    await waitFor(() => state.received === 'moved:x');
    socket.destroy();
  });

  it('resets the client when the upstream refuses, and counts it', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const proxy = await proxyTo({ host: '127.0.0.1', port });
    const { state } = await client(proxy.address);
    await waitFor(() => state.closed);
    expect(state.error?.code).toBe('ECONNRESET');
    expect(proxy.stats.upstreamRefused).toBe(1);
  });
});
