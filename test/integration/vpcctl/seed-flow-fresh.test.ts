import { describeSeedFlow } from './seed-flow.js';

// The sandbox starts with routing off and FORWARD ACCEPT.
describeSeedFlow('fresh');
