import { describeSeedFlow } from './seed-flow.js';

// The sandbox starts like a GitHub runner with Docker: routing on, FORWARD DROP, Docker chains.
describeSeedFlow('docker-host');
