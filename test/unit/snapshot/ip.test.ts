import { describe, expect, it } from 'vitest';
import { addressLines, linkLines, namespaceNames, routeLines } from '../../../src/snapshot/ip.js';

describe('ip -j views', () => {
  it('namespace names, sorted; anything but a JSON array reads as none', () => {
    expect(namespaceNames('[{"name":"vpc1-b","id":1},{"name":"vpc1-a"}]')).toEqual(['vpc1-a', 'vpc1-b']);
    expect(namespaceNames('')).toEqual([]);
    expect(namespaceNames('Object "netns" is unknown')).toEqual([]);
    expect(namespaceNames('{"name":"x"}')).toEqual([]);
  });

  it('links by name and kind, a plain device as "device", without indexes or counters', () => {
    const text = JSON.stringify([
      { ifindex: 7, ifname: 'br-vpc1', linkinfo: { info_kind: 'bridge' }, stats64: { rx: 1 } },
      { ifindex: 1, ifname: 'lo' },
    ]);
    expect(linkLines(text)).toEqual(['br-vpc1 bridge', 'lo device']);
  });

  it('addresses as name address/prefix, one per address', () => {
    const text = JSON.stringify([
      {
        ifname: 'br-vpc1',
        addr_info: [
          { family: 'inet', local: '10.0.2.1', prefixlen: 24 },
          { family: 'inet', local: '10.0.1.1', prefixlen: 24 },
        ],
      },
      { ifname: 'dummy0' },
    ]);
    expect(addressLines(text)).toEqual(['br-vpc1 10.0.1.1/24', 'br-vpc1 10.0.2.1/24']);
  });

  it('routes as ip route prints them, without the local table', () => {
    const text = JSON.stringify([
      { dst: 'default', gateway: '203.0.113.1', dev: 'eth0' },
      { dst: '10.0.0.0/16', dev: 'br-vpc1', table: 'main' },
      { type: 'blackhole', dst: '10.9.0.0/16' },
      { type: 'local', dst: '10.0.1.1', dev: 'br-vpc1', table: 'local' },
    ]);
    expect(routeLines(text)).toEqual([
      '10.0.0.0/16 dev br-vpc1 table main',
      'blackhole 10.9.0.0/16',
      'default via 203.0.113.1 dev eth0',
    ]);
  });
});
