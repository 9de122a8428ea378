// nested-handler-path: file.obj.fn
exports.obj = { fn: async () => ({ nested: true }) };
