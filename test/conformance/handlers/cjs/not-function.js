// handler-not-function
exports.handler = 42;
