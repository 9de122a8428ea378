// init-log: console.* and raw writes during init
console.log('init log line');
console.warn('init warn line');
console.debug('init debug line');
process.stdout.write('raw init stdout\n');
process.stderr.write('raw init stderr\n');
exports.handler = async () => 'ok';
