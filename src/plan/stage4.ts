export * from './stage4/index.js';
