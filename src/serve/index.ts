/** The library side of `feedwright serve`: a static server for the output folder, and a rebuilding watcher. */
export { startServer, DEFAULT_HOST, DEFAULT_PORT, type RunningServer, type ServeLimits, type ServeOptions } from './server.js';
export { startWatch, type RunningWatch, type WatchOptions, type WatchReporter } from './watch.js';
export { chooseEncoding, type Coding } from './encoding.js';
export { resolveTarget, MAX_PATH_LENGTH, type Target } from './resolve.js';
