// async-return-object (.js, CommonJS)
exports.handler = async (event) => ({ ok: true, echo: event });
