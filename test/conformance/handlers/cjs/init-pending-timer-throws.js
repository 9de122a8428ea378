// init-pending-timer-throws: a timer set at init throws between invokes
setTimeout(() => {
  throw new Error('timer from init');
}, 200);
exports.handler = async () => 'ok';
