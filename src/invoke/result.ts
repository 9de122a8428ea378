// The result types live on the ground floor (src/contract/) so every area can name them; this
// module keeps the invoke room's historical import path.
export type * from '../contract/result.js';
