// handler-in-subdir: src/app.handler
exports.handler = async () => ({ subdir: true });
