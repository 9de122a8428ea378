// Cold starts need a fresh module graph for the handler's modules: in Jest that is
// jest.isolateModulesAsync. Register it once for every createFunction in this project.
import { setModuleIsolation } from 'lambda-harness';

setModuleIsolation({
  name: 'jest',
  load: async (loader) => {
    let loaded: unknown;
    await jest.isolateModulesAsync(async () => {
      loaded = await loader();
    });
    return loaded;
  },
});
