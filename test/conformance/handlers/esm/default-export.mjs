// esm-default-export-object: export default { handler }
export default { handler: async () => ({ viaDefault: true }) };
