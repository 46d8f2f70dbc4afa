import pkg from '../../../package.json';

/** The engine version recorded with every run: the package version. */
export const ENGINE_VERSION: string = pkg.version;
