// async-3-params as a file (arity check at init)
exports.handler = async (_event, _context, _callback) => ({ ok: true });
