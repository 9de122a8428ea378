// init-unhandled-rejection
Promise.reject(new Error('init rejection'));
exports.handler = async () => 'never answered';
