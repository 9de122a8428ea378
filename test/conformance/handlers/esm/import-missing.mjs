// esm-import-missing-package
import pkg from 'definitely-not-installed-pkg';

export const handler = async () => pkg;
