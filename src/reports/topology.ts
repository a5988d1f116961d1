import type { Summary, Topology, TopologySubnet } from '../model/summary.js';
import { html, type Markup } from './html-template.js';
import { truncate } from './text.js';

/** The DESIGN's Stage 4 plan, used when a summary carries no topology of its own. */
export const STAGE4_TOPOLOGY: Topology = {
  vpcs: [
    {
      name: 'vpc1',
      cidr: '10.0.0.0/16',
      subnets: [
        { key: 'vpc1/publicsub', name: 'publicsub', cidr: '10.0.1.0/24', type: 'public' },
        { key: 'vpc1/privatesub', name: 'privatesub', cidr: '10.0.2.0/24', type: 'private' },
      ],
    },
    {
      name: 'vpc2',
      cidr: '10.1.0.0/16',
      subnets: [
        { key: 'vpc2/publicsub', name: 'publicsub', cidr: '10.1.1.0/24', type: 'public' },
        { key: 'vpc2/privatesub', name: 'privatesub', cidr: '10.1.2.0/24', type: 'private' },
      ],
    },
  ],
  peerings: [['vpc1', 'vpc2']],
};

export const UPLINK = { name: 'eth0', address: '203.0.113.10/24', gateway: '203.0.113.1' };
export const INTERNET_HOST = '198.51.100.10';

/** The summary's topology, or the Stage 4 plan filled in with what the probes saw of each subnet. */
export function topologyOf(summary: Summary): Topology {
  if (summary.topology) return summary.topology;
  const seen = new Map<string, { netns?: string; address?: string }>();
  for (const criterion of summary.criteria) {
    for (const probe of criterion.probes) {
      for (const end of [probe.from, probe.to]) {
        if (!end.subnet) continue;
        const known = seen.get(end.subnet) ?? {};
        if (end.netns && !known.netns) known.netns = end.netns;
        if (end.address && !known.address) known.address = end.address;
        seen.set(end.subnet, known);
      }
    }
  }
  return {
    peerings: STAGE4_TOPOLOGY.peerings,
    vpcs: STAGE4_TOPOLOGY.vpcs.map((vpc) => ({
      ...vpc,
      subnets: vpc.subnets.map((subnet) => ({ ...subnet, ...seen.get(subnet.key) })),
    })),
  };
}

/** Peering state as the picture shows it: not drawn before the peering phase ran. */
export function peeringState(summary: Summary): 'absent' | 'ran' | 'broken' {
  const phase = summary.phases.find((p) => p.id === 'peering');
  if (!phase) return 'absent';
  return phase.steps.some(
    (s) => s.status === 'failed' || s.status === 'timeout' || s.status === 'unsupported',
  )
    ? 'broken'
    : 'ran';
}

const VPC_W = 340;
const GAP = 40;
/** Room between VPC boxes for the peering link and its label. */
const VPC_GAP = 120;
const TOP_W = 320;
const BOX_H = 56;
const SUBNET_H = 62;
const VPC_Y = 240;

/** Text that may be long or come from the target: cut for the box, whole in a tooltip. */
function label(x: number, y: number, text: string, max: number, cls = ''): Markup {
  const shown = truncate(text, max);
  return html`<text x="${x}" y="${y}" class="${cls}">${shown !== text ? html`<title>${text}</title>` : ''}${shown}</text>`;
}

function subnetBox(subnet: TopologySubnet, x: number, y: number, w: number): Markup {
  const found = subnet.netns !== undefined && subnet.address !== undefined;
  const where = found
    ? `ns ${subnet.netns} · ${subnet.address}`
    : `not found${subnet.problem ? `: ${subnet.problem}` : ' (no namespace holds an address in this CIDR)'}`;
  return html`<g class="subnet ${subnet.type}">
<rect x="${x}" y="${y}" width="${w}" height="${SUBNET_H - 10}" rx="6"/>
${label(x + 10, y + 20, `${subnet.name} ${subnet.cidr} (${subnet.type})`, 44, 'strong')}
${label(x + 10, y + 40, where, 48, found ? 'small' : 'small missing')}
</g>`;
}

/**
 * The lab as an inline SVG: the internet host, the sandbox's uplink, each VPC
 * with its router/bridge and subnets (with what discovery found), and the
 * peering link once the peering phase ran.
 */
export function topologySvg(summary: Summary): Markup {
  const topology = topologyOf(summary);
  const count = Math.max(1, topology.vpcs.length);
  const width = Math.max(2 * TOP_W, count * VPC_W + (count - 1) * VPC_GAP + 2 * GAP);
  const maxSubnets = Math.max(1, ...topology.vpcs.map((v) => v.subnets.length));
  const height = VPC_Y + 110 + maxSubnets * SUBNET_H + 20;
  const cx = width / 2;
  const inetY = 16;
  const hostY = 120;
  const routerY = VPC_Y + 36;
  const routers = new Map<string, { x: number; y: number; w: number }>();

  const vpcs = topology.vpcs.map((vpc, index) => {
    const x = GAP + index * (VPC_W + VPC_GAP);
    const h = 110 + vpc.subnets.length * SUBNET_H;
    const gateways = vpc.subnets.map((s) => s.gateway).filter((g): g is string => g !== undefined);
    const router = { x: x + 16, y: routerY, w: VPC_W - 32 };
    routers.set(vpc.name, router);
    const subnets = vpc.subnets.map((subnet, i) => {
      const y = routerY + 64 + i * SUBNET_H;
      return html`<line class="link" x1="${x + 30}" y1="${routerY + 40}" x2="${x + 30}" y2="${y + 24}"/>
<line class="link" x1="${x + 30}" y1="${y + 24}" x2="${x + 44}" y2="${y + 24}"/>
${subnetBox(subnet, x + 44, y, VPC_W - 60)}`;
    });
    return html`<g class="vpc">
<rect x="${x}" y="${VPC_Y}" width="${VPC_W}" height="${h}" rx="10"/>
${label(x + 12, VPC_Y + 24, `${vpc.name} ${vpc.cidr}`, 40, 'title')}
<line class="link" x1="${x + VPC_W / 2}" y1="${VPC_Y}" x2="${cx}" y2="${hostY + BOX_H}"/>
<g class="router"><rect x="${router.x}" y="${router.y}" width="${router.w}" height="40" rx="6"/>
${label(router.x + 10, router.y + 25, `router / bridge${gateways.length ? ` · gw ${gateways.join(', ')}` : ''}`, 46, 'small')}</g>
${subnets}
</g>`;
  });

  const state = peeringState(summary);
  const peerings =
    state === 'absent'
      ? []
      : topology.peerings.map(([a, b], index) => {
          const ra = routers.get(a);
          const rb = routers.get(b);
          if (!ra || !rb) return html``;
          const [left, right] = ra.x < rb.x ? [ra, rb] : [rb, ra];
          const y = left.y + 14 + index * 8;
          const mid = (left.x + left.w + right.x) / 2;
          return html`<g class="peering ${state}"><title>peering ${a} ↔ ${b}</title>
<line x1="${left.x + left.w}" y1="${y}" x2="${right.x}" y2="${y}"/>
<text x="${mid}" y="${y - 8}" class="small middle">peering</text>
${state === 'broken' ? html`<text x="${mid}" y="${y + 16}" class="small middle missing">a step failed</text>` : ''}</g>`;
        });

  return html`<svg class="topology" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Lab topology">
<line class="link" x1="${cx}" y1="${inetY + BOX_H}" x2="${cx}" y2="${hostY}"/>
${label(cx + 8, (inetY + BOX_H + hostY) / 2 + 4, `default via ${UPLINK.gateway}`, 40, 'small')}
<g class="internet"><rect x="${cx - TOP_W / 2}" y="${inetY}" width="${TOP_W}" height="${BOX_H}" rx="8"/>
<text x="${cx}" y="${inetY + 22}" class="strong middle">internet (namespace inet)</text>
<text x="${cx}" y="${inetY + 42}" class="small middle">host ${INTERNET_HOST} · ${UPLINK.gateway}</text></g>
<g class="host"><rect x="${cx - TOP_W / 2}" y="${hostY}" width="${TOP_W}" height="${BOX_H}" rx="8"/>
<text x="${cx}" y="${hostY + 22}" class="strong middle">sandbox root namespace (NAT, FORWARD)</text>
<text x="${cx}" y="${hostY + 42}" class="small middle">uplink ${UPLINK.name} ${UPLINK.address}</text></g>
${vpcs}
${peerings}
</svg>`;
}
