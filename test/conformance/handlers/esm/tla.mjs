// esm-top-level-await: init waits for TLA
const v = await new Promise((resolve) => setTimeout(() => resolve('awaited'), 20));
export const handler = async () => ({ v });
