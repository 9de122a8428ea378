// require-missing-package
const pkg = require('definitely-not-installed-pkg');
exports.handler = async () => pkg;
