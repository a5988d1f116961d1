import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerBody, parseListenerArgs, plainAddress, startListeners } from '../../../src/probes/listener.js';

describe('listener arguments', () => {
  it('takes several ports, once each', () => {
    expect(parseListenerArgs(['--port', '7070', '--port', '22', '--port', '7070', '--log'])).toEqual({
      ports: [7070, 22],
      log: true,
      host: '0.0.0.0',
    });
  });
  it('rejects a missing, zero or non-numeric port and unknown flags', () => {
    expect(() => parseListenerArgs([])).toThrow(/at least one --port/);
    expect(() => parseListenerArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseListenerArgs(['--port', '0'])).toThrow(/not a TCP port/);
    expect(() => parseListenerArgs(['--port', 'http'])).toThrow(/not a TCP port/);
    expect(() => parseListenerArgs(['--verbose'])).toThrow(/unknown argument/);
  });
});

describe('listener answers', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('strips the IPv4-mapped prefix', () => {
    expect(plainAddress('::ffff:10.0.2.2')).toBe('10.0.2.2');
    expect(plainAddress('10.0.2.2')).toBe('10.0.2.2');
    expect(plainAddress(undefined)).toBe('');
  });

  it('answers 200 with the client address and its port, on every port', async () => {
    // Port 0 here (the CLI refuses it): the kernel picks free loopback ports for the test.
    const servers = await startListeners({ ports: [0, 0], log: false, host: '127.0.0.1' });
    close = () => {
      for (const s of servers) s.close();
    };
    const ports = servers.map((s) => (s.address() as AddressInfo).port);
    for (const port of ports) {
      const response = await fetch(`http://127.0.0.1:${port}/anything`);
      expect(response.status).toBe(200);
      expect(response.headers.get('connection')).toBe('close');
      expect(await response.json()).toEqual({ seen: '127.0.0.1', port });
    }
    expect(answerBody('10.0.2.2', 22)).toBe('{"seen":"10.0.2.2","port":22}\n');
  });

  it('fails when a port is taken, closing the ones it opened', async () => {
    const [first] = await startListeners({ ports: [0], log: false, host: '127.0.0.1' });
    if (!first) throw new Error('no server');
    const taken = (first.address() as AddressInfo).port;
    close = () => first.close();
    await expect(startListeners({ ports: [0, taken], log: false, host: '127.0.0.1' })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
