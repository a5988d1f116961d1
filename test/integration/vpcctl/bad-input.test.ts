import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/exec/index.js';
import { assertBuilt, inSandbox, isRoot } from './sandbox.js';

/**
 * Every bad input the issue lists gets a clear message on stderr, exit code 2,
 * and changes nothing: the sandbox's namespaces, links, addresses, routes,
 * iptables, ip_forward, processes and the state file are compared before and
 * after each case (bad-input.sh). The lab: vpc1 10.0.0.0/16 with publicsub
 * 10.0.1.0/24 (public) and privatesub 10.0.2.0/24 (private); vpc2 10.1.0.0/16
 * with publicsub 10.1.1.0/24; not peered.
 */
interface Case {
  name: string;
  argv: string[];
  message: RegExp;
}

const policy = (name: string): string => `policies/${name}.json`;
const POLICIES: Record<string, unknown> = {
  'bad-action': { subnet: '10.0.1.0/24', ingress: [{ port: 80, protocol: 'tcp', action: 'permit' }] },
  'bad-port': { subnet: '10.0.1.0/24', ingress: [{ port: 70000, protocol: 'tcp', action: 'allow' }] },
  'bad-range': { subnet: '10.0.1.0/24', ingress: [{ port: '9000-8000', protocol: 'tcp', action: 'allow' }] },
  'no-subnet': { ingress: [{ port: 80, protocol: 'tcp', action: 'allow' }] },
  'unknown-key': {
    subnet: '10.0.1.0/24',
    ingress: [{ port: 80, protocol: 'tcp', action: 'allow', prot: 1 }],
  },
  'icmp-port': { subnet: '10.0.1.0/24', ingress: [{ port: 8, protocol: 'icmp', action: 'deny' }] },
  'other-subnet': { subnet: '10.0.2.0/24', ingress: [{ port: 80, protocol: 'tcp', action: 'allow' }] },
  good: { subnet: '10.0.1.0/24', ingress: [{ port: 80, protocol: 'tcp', action: 'allow' }] },
};

const CASES: Case[] = [
  // malformed CIDR
  {
    name: 'cidr-prefix-33',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '10.2.0.0/33'],
    message: /prefix "33" is not a number from 0 to 32/,
  },
  {
    name: 'cidr-three-octets',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '10.2.0/16'],
    message: /"10\.2\.0" is not a dotted-quad IPv4 address/,
  },
  {
    name: 'cidr-no-prefix',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '10.2.0.0'],
    message: /the \/PREFIX is missing/,
  },
  {
    name: 'cidr-host-bits',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '10.2.0.1/16'],
    message: /host bits are set[\s\S]*did you mean 10\.2\.0\.0\/16/,
  },
  {
    name: 'cidr-word',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', 'banana'],
    message: /"banana" is not a valid IPv4 CIDR/,
  },
  {
    name: 'cidr-ipv6',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', 'fd00::/64'],
    message: /IPv6; only IPv4 is supported/,
  },
  {
    name: 'subnet-cidr-malformed',
    argv: ['add-subnet', '--vpc', 'vpc1', '--name', 's3', '--cidr', '10.0.300.0/24'],
    message: /--cidr "10\.0\.300\.0\/24" is not a valid IPv4 CIDR/,
  },
  {
    name: 'allow-cidr-malformed',
    argv: ['allow-cidr', '--src', '10.0.1.0/24', '--dst', '10.1.1.0'],
    message: /--dst "10\.1\.1\.0" is not a valid IPv4 CIDR/,
  },
  // subnet outside its VPC, or overlapping
  {
    name: 'subnet-outside-vpc',
    argv: ['add-subnet', '--vpc', 'vpc1', '--name', 's3', '--cidr', '10.1.5.0/24'],
    message: /--cidr 10\.1\.5\.0\/24 is outside VPC vpc1 \(10\.0\.0\.0\/16\)/,
  },
  {
    name: 'subnet-overlaps-subnet',
    argv: ['add-subnet', '--vpc', 'vpc1', '--name', 's3', '--cidr', '10.0.1.128/25'],
    message: /overlaps subnet vpc1\/publicsub \(10\.0\.1\.0\/24\)/,
  },
  {
    name: 'subnet-too-small',
    argv: ['add-subnet', '--vpc', 'vpc1', '--name', 's3', '--cidr', '10.0.9.0/31'],
    message: /too small for a subnet/,
  },
  {
    name: 'vpc-overlaps-vpc',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '10.0.0.0/8'],
    message: /overlaps VPC vpc1 \(10\.0\.0\.0\/16\)/,
  },
  {
    name: 'vpc-overlaps-uplink',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '203.0.113.0/25'],
    message: /overlaps 203\.0\.113\.0\/24 on interface eth0/,
  },
  // duplicate names
  {
    name: 'duplicate-vpc',
    argv: ['create-vpc', '--name', 'vpc1', '--cidr', '10.5.0.0/16'],
    message: /VPC vpc1 already exists with CIDR 10\.0\.0\.0\/16, not 10\.5\.0\.0\/16/,
  },
  {
    name: 'duplicate-subnet',
    argv: ['add-subnet', '--vpc', 'vpc1', '--name', 'publicsub', '--cidr', '10.0.9.0/24'],
    message: /subnet vpc1\/publicsub already exists as 10\.0\.1\.0\/24/,
  },
  // unknown VPC / subnet / bridge
  {
    name: 'unknown-vpc-add-subnet',
    argv: ['add-subnet', '--vpc', 'nope', '--name', 's', '--cidr', '10.9.1.0/24'],
    message: /VPC "nope" does not exist[\s\S]*known VPCs: vpc1/,
  },
  { name: 'unknown-vpc-intra', argv: ['allow-intra-vpc', 'nope'], message: /VPC "nope" does not exist/ },
  {
    name: 'unknown-subnet-nat',
    argv: ['enable-nat', '--vpc', 'vpc1', '--subnet', 'nope', '--wan', 'eth0'],
    message: /subnet "nope" does not exist in VPC vpc1[\s\S]*publicsub/,
  },
  {
    name: 'unknown-subnet-http',
    argv: ['deploy-http', '--vpc', 'vpc1', '--subnet', 'nope', '--port', '80'],
    message: /subnet "nope" does not exist in VPC vpc1/,
  },
  {
    name: 'unknown-bridge',
    argv: ['peer-vpcs', '--bridge-a', 'br-nope', '--bridge-b', 'br-vpc2'],
    message: /--bridge-a: no VPC has a bridge named "br-nope"[\s\S]*br-vpc1/,
  },
  {
    name: 'unknown-cidr-isolate',
    argv: ['isolate-vpcs', '--cidr-a', '10.0.0.0/16', '--cidr-b', '10.9.0.0/16'],
    message: /--cidr-b 10\.9\.0\.0\/16 is not inside any VPC/,
  },
  {
    name: 'unknown-vpc-policy',
    argv: ['apply-policy', '--vpc', 'nope', '--subnet', 'publicsub', '--file', policy('good')],
    message: /VPC "nope" does not exist/,
  },
  // names that would make interface names too long, or are not names
  {
    name: 'vpc-name-too-long',
    argv: ['create-vpc', '--name', 'averylongvpcname', '--cidr', '10.7.0.0/16'],
    message: /bridge would be br-averylongvpcname \(19 characters\)[\s\S]*at most 15[\s\S]*at most 12/,
  },
  {
    name: 'vpc-name-invalid',
    argv: ['create-vpc', '--name', 'vpc 3', '--cidr', '10.7.0.0/16'],
    message: /VPC name "vpc 3" is not valid/,
  },
  {
    name: 'subnet-name-invalid',
    argv: ['add-subnet', '--vpc', 'vpc1', '--name', '../x', '--cidr', '10.0.9.0/24'],
    message: /subnet name "\.\.\/x" is not valid/,
  },
  // a WAN interface that does not exist
  {
    name: 'wan-missing',
    argv: ['enable-nat', '--vpc', 'vpc1', '--subnet', 'publicsub', '--wan', 'eth9'],
    message: /--wan interface "eth9" does not exist[\s\S]*eth0/,
  },
  {
    name: 'wan-is-a-bridge',
    argv: ['enable-nat', '--vpc', 'vpc1', '--subnet', 'publicsub', '--wan', 'br-vpc2'],
    message: /--wan br-vpc2 is an interface of vpcctl itself/,
  },
  {
    name: 'nat-on-private',
    argv: ['enable-nat', '--vpc', 'vpc1', '--subnet', 'privatesub', '--wan', 'eth0'],
    message: /vpc1\/privatesub was added as --type private/,
  },
  // policy files that do not validate
  {
    name: 'policy-bad-action',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('bad-action')],
    message: /\/ingress\/0\/action: must be one of "allow", "deny" \(got "permit"\)/,
  },
  {
    name: 'policy-bad-port',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('bad-port')],
    message: /\/ingress\/0\/port: .*\(got 70000\)/,
  },
  {
    name: 'policy-bad-range',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('bad-range')],
    message: /\/ingress\/0\/port: "9000-8000" is not a range of ports/,
  },
  {
    name: 'policy-no-subnet',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('no-subnet')],
    message: /\/: missing required property "subnet"/,
  },
  {
    name: 'policy-unknown-key',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('unknown-key')],
    message: /\/ingress\/0: unknown property "prot"/,
  },
  {
    name: 'policy-icmp-port',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('icmp-port')],
    message: /\/ingress\/0\/port: a port only applies to tcp and udp/,
  },
  {
    name: 'policy-other-subnet',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('other-subnet')],
    message: /\/subnet is "10\.0\.2\.0\/24" but subnet vpc1\/publicsub is 10\.0\.1\.0\/24/,
  },
  {
    name: 'policy-not-json',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('not-json')],
    message: /is not valid JSON/,
  },
  {
    name: 'policy-missing-file',
    argv: ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', policy('absent')],
    message: /cannot read policy file policies\/absent\.json: ENOENT/,
  },
  // peering preconditions and usage
  {
    name: 'allow-cidr-not-peered',
    argv: ['allow-cidr', '--src', '10.0.1.0/24', '--dst', '10.1.1.0/24'],
    message: /VPCs vpc1 and vpc2 are not peered[\s\S]*peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2/,
  },
  {
    name: 'peer-self',
    argv: ['peer-vpcs', '--bridge-a', 'br-vpc1', '--bridge-b', 'br-vpc1'],
    message: /cannot peer with itself/,
  },
  {
    name: 'port-invalid',
    argv: ['deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub', '--port', '0'],
    message: /--port "0" is not a port number/,
  },
  {
    name: 'usage-unknown-option',
    argv: ['create-vpc', '--name', 'vpc3', '--cidr', '10.7.0.0/16', '--bogus'],
    message: /unknown option '--bogus'/,
  },
  {
    name: 'usage-missing-option',
    argv: ['create-vpc', '--name', 'vpc3'],
    message: /required option '--cidr <cidr>' not specified/,
  },
  {
    name: 'usage-unknown-command',
    argv: ['create-vcp', '--name', 'vpc3'],
    message: /unknown command 'create-vcp'[\s\S]*create-vpc/,
  },
];

interface Outcome {
  exitCode: number;
  unchanged: boolean;
  changes: string;
  stderr: string;
}

describe.skipIf(!isRoot)('vpcctl: bad input is rejected with a message, exit 2, and no change', () => {
  let dir: string;
  let result: CommandResult;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    assertBuilt();
    // Kept visible inside the sandbox (keepPaths), which otherwise has a fresh /tmp.
    dir = mkdtempSync(join(tmpdir(), 'vpcctl-bad-input-'));
    const policies = join(dir, 'policies');
    mkdirSync(policies);
    for (const [name, body] of Object.entries(POLICIES))
      writeFileSync(join(policies, `${name}.json`), JSON.stringify(body));
    writeFileSync(join(policies, 'not-json.json'), '{"subnet": "10.0.1.0/24", ');
    writeFileSync(join(dir, 'cases.tsv'), `${CASES.map((c) => [c.name, ...c.argv].join('\t')).join('\n')}\n`);
    result = await inSandbox('bad-input.sh', [join(dir, 'cases.tsv'), dir], {
      keepPaths: [dir],
      timeoutMs: 120_000,
    });
    for (const line of result.stdout.split('\n')) {
      const [tag, name = '', code = '', changed = '', stderr = ''] = line.split('\t');
      if (tag !== 'CASE') continue;
      outcomes.set(name, {
        exitCode: Number(code),
        unchanged: changed === 'unchanged',
        changes: changed,
        stderr,
      });
    }
  }, 150_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ran every case and cleaned up', () => {
    expect(result.stdout, result.stderr).toMatch(/DONE 1 namespaces left/);
    expect([...outcomes.keys()]).toEqual(CASES.map((c) => c.name));
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const outcome = outcomes.get(testCase.name);
    expect(outcome, 'case did not run').toBeDefined();
    if (!outcome) return;
    expect(outcome.stderr).toMatch(testCase.message);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.changes).toBe('unchanged');
  });
});
