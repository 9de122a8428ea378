// esm-init-throw
throw new TypeError('esm init boom');
