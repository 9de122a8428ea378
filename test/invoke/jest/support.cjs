// Shared by the *.jest.cjs matcher tests: a result whose handler returns `response`, and the
// message of an assertion that must fail.
const { invokeHandler } = require('../../../dist/index.cjs');

const respond = (response) => invokeHandler(async () => response, {});
const failureOf = (fn) => {
  try {
    fn();
  } catch (error) {
    return error.message;
  }
  throw new Error('the assertion was expected to fail');
};

module.exports = { respond, failureOf };
