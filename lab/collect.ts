import type { NamespaceState } from '../src/discovery/index.js';
import { namespaceNames } from '../src/snapshot/ip.js';
import type { LabShell } from './shell.js';

/** The sandbox's own namespaces, which discovery must never mistake for a subnet. */
const HARNESS_NAMESPACES = new Set(['inet']);

/** `ip -j addr` and `ip -j route` of every namespace in `ip netns list`, for discovery. */
export async function collectNamespaces($: LabShell): Promise<NamespaceState[]> {
  const list = await $`ip -j netns list`;
  return Promise.all(
    namespaceNames(list.stdout)
      .filter((name) => !HARNESS_NAMESPACES.has(name))
      .map(async (netns) => {
        const [addr, route] = await Promise.all([
          $`ip -n ${netns} -j addr show`,
          $`ip -n ${netns} -j route show`,
        ]);
        return { netns, addrJson: addr.stdout, routeJson: route.stdout };
      }),
  );
}
