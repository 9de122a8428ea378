export {
  createLogSink,
  type LogSink,
  logConsoleCall,
  logRawLine,
  logRuntimeError,
  logRuntimeMessage,
  openCaptureScope,
} from './capture.js';
export {
  CapturedLine,
  formatEndLine,
  formatLogs,
  formatReportLine,
  formatStartLine,
  LOG_LEVEL_ORDER,
  parseLogLevel,
  type ReportLineInput,
} from './format.js';
