/** The library side of `feedwright ping`: WebSub publish notifications for the feeds that changed. */
export { pingHubs, planPings, nextPingState, findFeeds, type FeedFile, type PingOptions, type PingReport } from './ping.js';
export { notifyHub, MAX_REDIRECTS, MAX_EXPLANATION_BYTES, type NotifyOptions, type PingResult, type PingTask } from './notify.js';
export { readPingState, serializePingState, writePingState, type PingState } from './state.js';
