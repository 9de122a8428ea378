// warm-state: module state survives warm invokes
let count = 0;
console.log('module loaded');
exports.handler = async () => {
  count += 1;
  return { count };
};
