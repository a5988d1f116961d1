/** Integration tests build real networks (always inside the sandbox) and need root. */
export const isRoot = process.getuid?.() === 0;
export const needsRoot = 'needs root: run `sudo npm test`';
