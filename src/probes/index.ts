export {
  type Classified,
  classify,
  classifyCurl,
  classifyPing,
  parseCurlOutput,
  seenSourceOf,
} from './classify.js';
export { CURL_MARK, curlArgv, httpUrl, pingArgv } from './commands.js';
export { type Clock, defaultExec, type ProbeExec, realClock } from './exec.js';
export {
  type Endpoints,
  endpointsFrom,
  type MatrixResult,
  NEGATIVE_TIMEOUT,
  negativeTimeoutFrom,
  type ProbeRunOptions,
  runMatrix,
  runProbe,
} from './runner.js';
export { buildTruthTables, renderTruthTable, renderTruthTables, TRUTH_TABLE_LEGEND } from './truth-table.js';
