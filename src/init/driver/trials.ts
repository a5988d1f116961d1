import { mkdirSync, writeFileSync } from 'node:fs';
import { APP_PORT, VPC1, VPC2 } from '../../plan/stage4/lab.js';
import type { SubnetPlan, VpcPlan } from '../../plan/types.js';
import type { ByTypeTemplate } from '../../profiles/index.js';
import type { Candidate } from '../candidates.js';
import type { StepFinding, Trial, TrialPlan, TrialReport } from '../plan.js';
import type { InitStep } from '../vocabulary.js';
import {
  addressesIn,
  changes,
  listensOn,
  natCovers,
  rulesChanged,
  type Snapshot,
  snapshot,
} from './observe.js';
import { runCmd, sys } from './run-cmd.js';

type Vars = Record<string, string>;

const POLICY_DIR = '/tmp/vpc-init-policy';

function fill(template: string[], vars: Vars): string[] {
  return template.map((a) => a.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m));
}

function isByType(t: Candidate['template']): t is ByTypeTemplate {
  return !Array.isArray(t);
}

/** The argv lists of a template (one command, or several) for a subnet type. */
function commandsOf(template: Candidate['template'], type: 'public' | 'private' | undefined): string[][] {
  const t = isByType(template) ? template[type ?? 'public'] : template;
  if (!Array.isArray(t) || t.length === 0) return [];
  return Array.isArray(t[0]) ? (t as string[][]) : [t as string[]];
}

export async function runTrials(plan: TrialPlan): Promise<TrialReport> {
  const started = Date.now();
  const inv = plan.invocation;
  const steps: TrialReport['steps'] = {};
  let bridgeName: string | undefined;
  const bridgeOf = (vpc: string) => (bridgeName ?? 'br-{vpc}').replace('{vpc}', vpc);

  const exec = async (commands: string[][], vars: Vars) => {
    let last = { exitCode: 0 as number | null, timedOut: false, output: '' };
    const argv: string[][] = [];
    for (const c of commands) {
      const full = [...inv.command, ...fill(c, { dir: inv.dir, wan: 'eth0', ...vars })];
      argv.push(full);
      last = await runCmd(full, { env: inv.env, cwd: inv.dir, timeoutMs: inv.timeoutMs });
      last.output = last.output.slice(-2000);
      if (last.exitCode !== 0) break;
    }
    return { ...last, argv };
  };

  /** Try each candidate until one exits 0 and `effect` holds; returns its index. */
  const attempt = async (
    step: InitStep,
    vars: Vars,
    effect: (before: Snapshot, after: Snapshot) => string | undefined,
    type?: 'public' | 'private',
  ): Promise<{ index: number | undefined; trials: Trial[] }> => {
    const trials: Trial[] = [];
    const list = plan.candidates[step] ?? [];
    for (const [index, candidate] of list.entries()) {
      const commands = commandsOf(candidate.template, type);
      if (commands.length === 0) continue;
      const before = await snapshot();
      const ran = await exec(commands, vars);
      let after = await snapshot();
      let detail = ran.exitCode === 0 ? effect(before, after) : undefined;
      // A server may need a moment to listen after its command returns.
      for (let i = 0; ran.exitCode === 0 && detail === undefined && step === 'deployHttp' && i < 10; i += 1) {
        await new Promise((r) => setTimeout(r, 500));
        after = await snapshot();
        detail = effect(before, after);
      }
      trials.push({
        index,
        argv: ran.argv,
        exitCode: ran.exitCode,
        timedOut: ran.timedOut,
        effect: detail !== undefined,
        detail:
          detail ??
          (ran.exitCode === 0
            ? `exit 0 but no effect (${changes(before, after).join('; ') || 'nothing changed'})`
            : `exit ${ran.exitCode}${ran.timedOut ? ' (timed out)' : ''}`),
        output: ran.output,
      });
      if (detail !== undefined) return { index, trials };
    }
    return { index: undefined, trials };
  };

  const vpcVars = (vpc: VpcPlan): Vars => {
    const [pub, priv] = vpc.subnets as [SubnetPlan, SubnetPlan];
    return {
      vpc: vpc.name,
      cidr: vpc.cidr,
      bridge: bridgeOf(vpc.name),
      publicSubnet: pub.name,
      publicCidr: pub.cidr,
      privateSubnet: priv.name,
      privateCidr: priv.cidr,
    };
  };
  const subnetVars = (vpc: VpcPlan, s: SubnetPlan): Vars => ({
    vpc: vpc.name,
    vpcCidr: vpc.cidr,
    subnet: s.name,
    cidr: s.cidr,
    type: s.type,
    bridge: bridgeOf(vpc.name),
  });
  const hostIn = (snap: Snapshot, cidr: string) => addressesIn(snap, cidr, true)[0];

  // --- createVpc (vpc1) ---
  const vpcMade = (vpc: VpcPlan) => (before: Snapshot, after: Snapshot) => {
    const addr = addressesIn(after, vpc.cidr).filter(
      (a) => !addressesIn(before, vpc.cidr).some((b) => b.address === a.address),
    );
    if (addr.length)
      return `address ${addr[0]?.address}/${addr[0]?.prefixlen} on ${addr[0]?.ifname}${addr[0]?.ns ? ` in ${addr[0].ns}` : ''}`;
    const bridges = after.links.filter(
      (l) => l.kind === 'bridge' && !before.links.some((b) => b.ns === l.ns && b.name === l.name),
    );
    return bridges.length ? `new bridge ${bridges.map((b) => b.name).join(', ')}` : undefined;
  };
  const create = await attempt('createVpc', vpcVars(VPC1), vpcMade(VPC1));
  if (create.index === undefined) {
    steps.createVpc = {
      outcome: 'unsupported',
      reason: 'no candidate made a bridge, router or address for the VPC',
      trials: create.trials,
    };
    return { steps, durationMs: Date.now() - started };
  }
  steps.createVpc = {
    outcome: 'proved',
    chosen: { all: create.index },
    reason: create.trials.at(-1)?.detail ?? '',
    trials: create.trials,
  };
  const afterCreate = await snapshot();
  const gw = afterCreate.links.find((l) => l.kind === 'bridge' && l.name.includes(VPC1.name));
  if (gw) bridgeName = gw.name.replace(VPC1.name, '{vpc}');

  // --- addSubnet (vpc1 public, private) ---
  const subnetMade = (s: SubnetPlan) => (_b: Snapshot, after: Snapshot) => {
    const h = hostIn(after, s.cidr);
    return h ? `namespace ${h.ns} holds ${h.address}/${h.prefixlen}` : undefined;
  };
  const subnetChoice: NonNullable<StepFinding['chosen']> = {};
  const subnetTrials: Trial[] = [];
  let subnetsOk = true;
  for (const s of VPC1.subnets) {
    if (hostIn(await snapshot(), s.cidr)) {
      subnetChoice[s.type] = 'nothing';
      continue;
    }
    const r = await attempt('addSubnet', subnetVars(VPC1, s), subnetMade(s), s.type);
    subnetTrials.push(...r.trials);
    if (r.index === undefined) subnetsOk = false;
    else subnetChoice[s.type] = r.index;
  }
  steps.addSubnet = subnetsOk
    ? {
        outcome:
          subnetChoice.public === 'nothing' && subnetChoice.private === 'nothing' ? 'nothing' : 'proved',
        chosen: subnetChoice,
        reason:
          subnetChoice.public === 'nothing'
            ? 'createVpc already makes the subnets'
            : 'a namespace holds an address in each subnet',
        trials: subnetTrials,
      }
    : {
        outcome: 'unsupported',
        reason: 'no candidate made a namespace with an address in the subnet',
        trials: subnetTrials,
      };

  const [pub1, priv1] = VPC1.subnets as [SubnetPlan, SubnetPlan];
  const runChosen = async (step: InitStep, vars: Vars, type?: 'public' | 'private') => {
    const f = steps[step];
    const idx = type ? f?.chosen?.[type] : f?.chosen?.all;
    if (f?.outcome !== 'proved' || typeof idx !== 'number') return;
    const c = plan.candidates[step]?.[idx];
    if (c) await exec(commandsOf(c.template, type), vars);
  };

  // --- allowIntraVpc ---
  const intra = await attempt(
    'allowIntraVpc',
    { vpc: VPC1.name, cidr: VPC1.cidr, bridge: bridgeOf(VPC1.name) },
    (b, a) => (rulesChanged(b, a) || changes(b, a).length ? changes(b, a).join('; ') : undefined),
  );
  if (intra.index !== undefined) {
    steps.allowIntraVpc = {
      outcome: 'proved',
      chosen: { all: intra.index },
      reason: intra.trials.at(-1)?.detail ?? '',
      trials: intra.trials,
    };
  } else {
    const snap = await snapshot();
    const from = hostIn(snap, pub1.cidr);
    const to = hostIn(snap, priv1.cidr);
    const ping =
      from && to
        ? await runCmd(['ip', 'netns', 'exec', from.ns, 'ping', '-c', '1', '-W', '2', to.address], {
            timeoutMs: 5000,
          })
        : undefined;
    steps.allowIntraVpc =
      ping?.exitCode === 0
        ? {
            outcome: 'nothing',
            reason: 'no command needed: the subnets already reach each other',
            trials: intra.trials,
          }
        : {
            outcome: 'unsupported',
            reason: 'no command found and the subnets cannot reach each other',
            trials: intra.trials,
          };
  }

  // --- enableNat ---
  const already = natCovers(await snapshot(), pub1.cidr);
  if (already) {
    steps.enableNat = {
      outcome: 'nothing',
      reason: `subnet creation already NATs it (${already})`,
      trials: [],
    };
  } else {
    const nat = await attempt('enableNat', subnetVars(VPC1, pub1), (_b, a) => natCovers(a, pub1.cidr));
    steps.enableNat =
      nat.index !== undefined
        ? {
            outcome: 'proved',
            chosen: { all: nat.index },
            reason: `MASQUERADE covers ${pub1.cidr}: ${nat.trials.at(-1)?.detail}`,
            trials: nat.trials,
          }
        : {
            outcome: 'unsupported',
            reason: `no candidate made a MASQUERADE rule covering ${pub1.cidr}`,
            trials: nat.trials,
          };
  }

  // --- deployHttp ---
  const pubHost = hostIn(await snapshot(), pub1.cidr);
  const deploy = await attempt(
    'deployHttp',
    {
      vpc: VPC1.name,
      subnet: pub1.name,
      cidr: pub1.cidr,
      port: String(APP_PORT),
      address: pubHost?.address ?? '',
    },
    (_b, a) =>
      pubHost && listensOn(a, pubHost.ns, APP_PORT)
        ? `a listener on :${APP_PORT} in ${pubHost.ns}`
        : undefined,
  );
  steps.deployHttp =
    deploy.index !== undefined
      ? {
          outcome: 'proved',
          chosen: { all: deploy.index },
          reason: deploy.trials.at(-1)?.detail ?? '',
          trials: deploy.trials,
        }
      : {
          outcome: 'harness',
          reason: `no candidate started a listener on :${APP_PORT} in the public subnet: the harness deploys`,
          trials: deploy.trials,
        };

  // --- vpc2, built with what was proved ---
  await runChosen('createVpc', vpcVars(VPC2));
  for (const s of VPC2.subnets) await runChosen('addSubnet', subnetVars(VPC2, s), s.type);
  await runChosen('allowIntraVpc', { vpc: VPC2.name, cidr: VPC2.cidr, bridge: bridgeOf(VPC2.name) });
  const [pub2] = VPC2.subnets as [SubnetPlan, SubnetPlan];
  const pair: Vars = {
    vpcA: VPC1.name,
    vpcB: VPC2.name,
    cidrA: VPC1.cidr,
    cidrB: VPC2.cidr,
    bridgeA: bridgeOf(VPC1.name),
    bridgeB: bridgeOf(VPC2.name),
    publicCidrA: pub1.cidr,
    publicCidrB: pub2.cidr,
  };

  // --- isolateVpcs ---
  const iso = await attempt('isolateVpcs', pair, (b, a) =>
    rulesChanged(b, a) ? 'iptables rules changed' : undefined,
  );
  steps.isolateVpcs =
    iso.index !== undefined
      ? {
          outcome: 'proved',
          chosen: { all: iso.index },
          reason: 'iptables rules changed',
          trials: iso.trials,
        }
      : {
          outcome: 'nothing',
          reason:
            'no isolate command: VPCs are taken to be isolated by default (isolation-default checks it)',
          trials: iso.trials,
        };

  // --- peerVpcs ---
  const peer = await attempt('peerVpcs', pair, (b, a) => {
    const c = changes(b, a).filter((x) => /links|routes/.test(x));
    return c.length ? c.join('; ') : undefined;
  });
  steps.peerVpcs =
    peer.index !== undefined
      ? {
          outcome: 'proved',
          chosen: { all: peer.index },
          reason: peer.trials.at(-1)?.detail ?? '',
          trials: peer.trials,
        }
      : {
          outcome: 'unsupported',
          reason: 'no candidate made a link or route between the two VPCs',
          trials: peer.trials,
        };

  // --- allowCidr (both ways) ---
  const allowVars = (src: string, dst: string, a: string, b: string): Vars => ({
    src,
    dst,
    vpcA: a,
    vpcB: b,
    bridgeA: bridgeOf(a),
    bridgeB: bridgeOf(b),
  });
  const allow = await attempt('allowCidr', allowVars(pub1.cidr, pub2.cidr, VPC1.name, VPC2.name), (b, a) =>
    rulesChanged(b, a) ? 'iptables rules changed' : undefined,
  );
  if (allow.index !== undefined) {
    steps.allowCidr = {
      outcome: 'proved',
      chosen: { all: allow.index },
      reason: 'iptables rules changed',
      trials: allow.trials,
    };
    await runChosen('allowCidr', allowVars(pub2.cidr, pub1.cidr, VPC2.name, VPC1.name));
  } else {
    steps.allowCidr = {
      outcome: 'unsupported',
      reason: 'no allow-cidr command whose rules change',
      trials: allow.trials,
    };
  }

  // --- applyPolicy ---
  mkdirSync(POLICY_DIR, { recursive: true });
  const policyFile = `${POLICY_DIR}/policy.json`;
  writeFileSync(
    policyFile,
    JSON.stringify({
      subnet: pub1.cidr,
      ingress: [
        { port: 80, protocol: 'tcp', action: 'allow' },
        { port: 22, protocol: 'tcp', action: 'deny' },
        { port: 443, protocol: 'tcp', action: 'deny' },
      ],
    }),
  );
  const policy = await attempt(
    'applyPolicy',
    {
      vpc: VPC1.name,
      subnet: pub1.name,
      cidr: pub1.cidr,
      policyFile,
      allowTcpPorts: '80',
      denyTcpPorts: '22,443',
    },
    (b, a) => (rulesChanged(b, a) ? 'iptables rules changed when the policy was applied' : undefined),
  );
  steps.applyPolicy =
    policy.index !== undefined
      ? {
          outcome: 'proved',
          chosen: { all: policy.index },
          reason: 'iptables rules changed when the policy was applied',
          trials: policy.trials,
        }
      : {
          outcome: 'unsupported',
          reason: 'no candidate changed any rule with the seed JSON policy',
          trials: policy.trials,
        };

  // --- inspect ---
  const inspect = await attempt('inspect', {}, () => 'exit 0');
  steps.inspect =
    inspect.index !== undefined
      ? { outcome: 'proved', chosen: { all: inspect.index }, reason: 'exits 0', trials: inspect.trials }
      : { outcome: 'unsupported', reason: 'no inspect command exits 0', trials: inspect.trials };

  // --- teardownVpc ---
  const gone = (vpc: VpcPlan) => (_b: Snapshot, a: Snapshot) => {
    const left = addressesIn(a, vpc.cidr);
    return left.length === 0 ? `no address in ${vpc.cidr} is left` : undefined;
  };
  const down = await attempt(
    'teardownVpc',
    { vpc: VPC1.name, cidr: VPC1.cidr, bridge: bridgeOf(VPC1.name) },
    gone(VPC1),
  );
  steps.teardownVpc =
    down.index !== undefined
      ? {
          outcome: 'proved',
          chosen: { all: down.index },
          reason: down.trials.at(-1)?.detail ?? '',
          trials: down.trials,
        }
      : {
          outcome: 'unsupported',
          reason: `no candidate removed every address in ${VPC1.cidr}`,
          trials: down.trials,
        };
  await runChosen('teardownVpc', { vpc: VPC2.name, cidr: VPC2.cidr, bridge: bridgeOf(VPC2.name) });
  await sys(['true']);
  return { steps, ...(bridgeName ? { bridgeName } : {}), durationMs: Date.now() - started };
}
