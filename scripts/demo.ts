// The demo: prints what the harness can do. Filled in as capabilities land.
console.log('lambda-harness demo');
