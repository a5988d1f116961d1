export { discoverSubnets, isDiscovered, type NamespaceState } from './discover.js';
export { checkGateways, type GatewayCheckOptions } from './gateway.js';
export { parseAddrJson, parseDefaultRoute } from './ip-json.js';
