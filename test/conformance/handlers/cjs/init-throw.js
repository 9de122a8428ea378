// init-throw
throw new Error('init boom');
