// package-type-module-js: .js under "type": "module"
export const handler = async () => ({ typeModule: true });
