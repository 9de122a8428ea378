// missing-handler-export
exports.other = async () => 'other';
