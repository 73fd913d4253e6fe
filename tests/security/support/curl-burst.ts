/**
 * A burst of HTTP requests sent from another process (curl --parallel), all at once: the
 * attacker's own work (hundreds of fetches, megabytes of bodies) is then not done on the test's
 * event loop, which is also the server's, so what is measured meanwhile is the server.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { onTestFinished } from 'vitest';

export interface BurstReply {
  status: number;
  /** The parsed JSON reply. */
  body: { error?: string } & Record<string, unknown>;
}

/**
 * The attacker's address: another one than the test's clients (127.0.0.1), as a hostile visitor's
 * would be, so its requests count against its own per-address limits.
 */
const ATTACKER_ADDRESS = '127.0.0.2';

/**
 * A request body on disk, written before the attack starts (writing 45 MB took 120 ms); removed
 * when the test ends.
 */
export function burstBody(json: string): { file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-body-'));
  const file = path.join(dir, 'body.json');
  fs.writeFileSync(file, json);
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { file };
}

/** POSTs the body in `bodyFile` to `url` `count` times at once; the replies in the order sent. */
export async function curlBurst(url: string, bodyFile: string, count: number): Promise<BurstReply[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-burst-'));
  try {
    // URL globbing numbers the requests; the routes ignore the query.
    const { stdout } = await promisify(execFile)(
      'curl',
      [
        '--silent',
        '--interface',
        ATTACKER_ADDRESS,
        '--parallel',
        '--parallel-immediate',
        '--parallel-max',
        String(count),
        '--header',
        'content-type: application/json',
        '--data-binary',
        `@${bodyFile}`,
        '--output',
        path.join(dir, 'reply-#1.json'),
        '--write-out',
        '%{http_code} %{url_effective}\\n',
        `${url}?n=[1-${count}]`,
      ],
      { maxBuffer: 1024 * 1024 },
    );
    // Lines come in the order the requests finished: each names its request by its URL.
    const statuses = new Map<number, number>();
    for (const line of stdout.trim().split('\n')) {
      const [code, effective] = line.split(' ');
      statuses.set(Number(new URL(effective as string).searchParams.get('n')), Number(code));
    }
    if (statuses.size !== count) throw new Error(`curl answered ${statuses.size} of ${count} requests`);
    return Array.from({ length: count }, (_, i) => ({
      status: statuses.get(i + 1) as number,
      body: JSON.parse(fs.readFileSync(path.join(dir, `reply-${i + 1}.json`), 'utf8')) as BurstReply['body'],
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
