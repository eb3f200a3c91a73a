/** Worker-thread entry for `scanPosts`: scans its slice and posts the result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { scanSlice, type ScanInput } from './scan.js';

parentPort?.postMessage(scanSlice(workerData as ScanInput));
