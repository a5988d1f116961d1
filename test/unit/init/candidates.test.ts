import { describe, expect, it } from 'vitest';
import { candidatesByStep } from '../../../src/init/candidates.js';
import { optionsIn, usagesIn } from '../../../src/init/usage.js';

const firstTemplates = (
  text: string,
  prog: string[],
  origin: 'help' | 'command help' = 'help',
  words?: string[],
) => {
  const byStep = candidatesByStep(
    usagesIn(text, prog, origin, words).map((usage) => ({ usage, options: optionsIn(text) })),
    [],
  );
  return Object.fromEntries(Object.entries(byStep).map(([step, list]) => [step, list[0]?.template]));
};

describe('candidates from usage texts', () => {
  it('reads positional usage lines of a bash usage()', () => {
    const t = firstTemplates(
      'usage: vpcctl create-vpc NAME CIDR\n       vpcctl add-subnet VPC NAME CIDR\n       vpcctl enable-nat VPC SUBNET --interface IFACE\n       vpcctl peer VPC_A VPC_B\n       vpcctl allow SRC DST',
      ['vpcctl'],
    );
    expect(t.createVpc).toEqual(['create-vpc', '{vpc}', '{cidr}']);
    expect(t.addSubnet).toEqual(['add-subnet', '{vpc}', '{subnet}', '{cidr}']);
    expect(t.enableNat).toEqual(['enable-nat', '{vpc}', '{subnet}', '--interface', '{wan}']);
    expect(t.peerVpcs).toEqual(['peer', '{vpcA}', '{vpcB}']);
    expect(t.allowCidr).toEqual(['allow', '{src}', '{dst}']);
  });

  it('reads flags carrying positional values, |-separated', () => {
    const t = firstTemplates('usage: vpcctl --create-vpc NAME CIDR | --nat VPC SUBNET IFACE | --inspect', [
      'vpcctl',
    ]);
    expect(t.createVpc).toEqual(['--create-vpc', '{vpc}', '{cidr}']);
    expect(t.enableNat).toEqual(['--nat', '{vpc}', '{subnet}', '{wan}']);
    expect(t.inspect).toEqual(['--inspect']);
  });

  it('reads noun-verb words and a type word', () => {
    const t = firstTemplates(
      '  vpcctl vpc create NAME CIDR\n  vpcctl subnet add VPC NAME CIDR TYPE\n  vpcctl vpc delete NAME',
      ['vpcctl'],
    );
    expect(t.createVpc).toEqual(['vpc', 'create', '{vpc}', '{cidr}']);
    expect(t.addSubnet).toEqual(['subnet', 'add', '{vpc}', '{subnet}', '{cidr}', '{type}']);
    expect(t.teardownVpc).toEqual(['vpc', 'delete', '{vpc}']);
  });

  it('gives a public-only flag of subnet creation to the public subnet', () => {
    const t = firstTemplates('usage: vpcctl.sh add-subnet VPC NAME CIDR [--nat]', ['vpcctl.sh']);
    expect(t.addSubnet).toEqual({
      public: ['add-subnet', '{vpc}', '{subnet}', '{cidr}', '--nat'],
      private: ['add-subnet', '{vpc}', '{subnet}', '{cidr}'],
    });
  });

  it("joins argparse's wrapped usage and maps choices to {type}", () => {
    const t = firstTemplates(
      'usage: netlab add-subnet [-h] --vpc VPC --subnet SUBNET --block BLOCK\n                         --access {public,private}\n',
      ['netlab'],
      'command help',
      ['add-subnet'],
    );
    expect(t.addSubnet).toEqual([
      'add-subnet',
      '--vpc',
      '{vpc}',
      '--subnet',
      '{subnet}',
      '--block',
      '{cidr}',
      '--access',
      '{type}',
    ]);
  });

  it("reads commander's options and prefers the argument its help calls the usual form", () => {
    const create =
      'Usage: vpcctl create-vpc [options] [name]\n\nOptions:\n  --name <name>  VPC name\n  --cidr <cidr>  block\n  -h, --help     help\n';
    expect(firstTemplates(create, ['vpcctl'], 'command help', ['create-vpc']).createVpc).toEqual([
      'create-vpc',
      '--name',
      '{vpc}',
      '--cidr',
      '{cidr}',
    ]);
    const intra =
      'Usage: vpcctl allow-intra-vpc [options] [vpc]\n\nOptions:\n  --vpc <vpc>  VPC name (alternative to the argument)\n';
    expect(firstTemplates(intra, ['vpcctl'], 'command help', ['allow-intra-vpc']).allowIntraVpc).toEqual([
      'allow-intra-vpc',
      '{vpc}',
    ]);
  });

  it('one create with subnet CIDRs; a required argument it cannot name gives no candidate', () => {
    const t = firstTemplates(
      'usage: vpcctl.py create [-h] name cidr public_cidr private_cidr',
      ['vpcctl.py'],
      'command help',
      ['create'],
    );
    expect(t.createVpc).toEqual(['create', '{vpc}', '{cidr}', '{publicCidr}', '{privateCidr}']);
    expect(firstTemplates('usage: vpcctl create-vpc NAME CIDR COLOUR', ['vpcctl']).createVpc).toBeUndefined();
  });

  it('orders help before README examples', () => {
    const byStep = candidatesByStep(
      [
        ...usagesIn('sudo vpcctl create-vpc --name vpc1 --cidr 10.0.0.0/16', ['vpcctl'], 'readme').map(
          (usage) => ({ usage }),
        ),
        ...usagesIn('usage: vpcctl create-vpc NAME CIDR', ['vpcctl'], 'help').map((usage) => ({ usage })),
      ],
      [],
    );
    expect(byStep.createVpc?.map((c) => [c.origin, c.template])).toEqual([
      ['help', ['create-vpc', '{vpc}', '{cidr}']],
      ['readme', ['create-vpc', '--name', '{vpc}', '--cidr', '{cidr}']],
    ]);
  });
});
