// esm-async-return-object (.mjs)
export const handler = async (event) => ({ ok: true, echo: event });
