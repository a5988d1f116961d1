import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` needs root and
// builds real networks, always inside the sandbox (lab/sandbox).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Unit tests first: they are quick and explain most failures.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Labs are heavy on 2 cores; files run two at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
