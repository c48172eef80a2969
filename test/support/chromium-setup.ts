import chromium from '@sparticuz/chromium';

/**
 * Unpacks `@sparticuz/chromium`'s binary to /tmp once, before any browser test file starts. Left
 * to the test files, two starting together both unpack it, and the one that finds the file
 * already there launches it while the other is still writing it (spawn ETXTBSY).
 */
export default async function setup(): Promise<void> {
  if (process.env.CHROMIUM_PATH === undefined) await chromium.executablePath();
}
