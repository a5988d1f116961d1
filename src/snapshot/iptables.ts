/** iptables-save into rule lines and policies, per table, without counters or comments. */
export function parseRules(save: string): { rules: string[]; policies: string[] } {
  const rules: string[] = [];
  const policies: string[] = [];
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line;
    else if (line.startsWith('-A ')) rules.push(`${table} ${line}`);
    else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      if (policy === '-') rules.push(`${table} :${name} -`);
      else if (policy && policy !== 'ACCEPT') policies.push(`${table} ${name} ${policy}`);
    }
  }
  return { rules: rules.sort(), policies: policies.sort() };
}

/** `iptables --version` to its backend (`nf_tables`, `legacy`), or the whole line when it names none. */
export function iptablesBackend(version: string): string {
  return /\((nf_tables|legacy)\)/.exec(version)?.[1] ?? version.trim();
}

/** The FORWARD chain's policy from `iptables -S FORWARD` (`ACCEPT`, `DROP`), or '' when absent. */
export function forwardPolicy(listing: string): string {
  return /^-P FORWARD (\w+)/m.exec(listing)?.[1] ?? '';
}

/** Whether `iptables -S FORWARD` jumps to Docker's chains (the docker-host start state, as on a runner with Docker). */
export function jumpsToDocker(listing: string): boolean {
  return /DOCKER/.test(listing);
}
