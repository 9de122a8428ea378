// The log line types live on the ground floor (src/contract/) so every area can name them; this
// module keeps the logs room's historical import path.
export type * from '../contract/logs.js';
