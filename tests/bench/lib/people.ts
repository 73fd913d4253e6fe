/** Sessions and participants for the benchmarks, joined through the real HTTP API. */
import type { CreateSessionReply, JoinReply } from '@kaptar/protocol';
import { createSession } from '../../support/server.js';
import { addressOf, postJsonFrom } from './addresses.js';
import type { SimulatedPerson } from './protocol.js';

/** How many joins are in flight at once while the benchmark sets up. */
const SETUP_CONCURRENCY = 25;

export interface Workshop {
  session: CreateSessionReply;
  boardId: string;
  people: SimulatedPerson[];
}

async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += SETUP_CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(i, i + SETUP_CONCURRENCY).map(work))));
  }
  return results;
}

/**
 * `workshops` sessions of `perBoard` participants each, everyone on the session's first board.
 * Phone numbers run on across workshops, so each village keeps its own addresses.
 */
export async function joinWorkshops(
  serverUrl: string,
  workshops: number,
  perBoard: number,
): Promise<Workshop[]> {
  const sessions = await inBatches(
    Array.from({ length: workshops }, (_, w) => w),
    (w) => createSession({ url: serverUrl }, `Mérés ${w + 1}`),
  );
  const phones = Array.from({ length: workshops * perBoard }, (_, phone) => phone);
  const people = await inBatches(phones, async (phone): Promise<SimulatedPerson> => {
    const w = Math.floor(phone / perBoard);
    const session = sessions[w] as CreateSessionReply;
    const address = addressOf(phone);
    const { status, body } = await postJsonFrom<JoinReply>(
      `${serverUrl}/api/join`,
      { joinCode: session.joinCode, name: `Résztvevő ${phone}`, site: `Falu ${w}` },
      address,
    );
    if (status !== 200) throw new Error(`join answered ${status}`);
    const boardId = session.boards[0]?.id ?? '';
    return {
      participantId: body.participantId,
      boardId,
      address,
      token: body.participantToken,
      stock: false,
    };
  });
  return sessions.map((session, w) => ({
    session,
    boardId: session.boards[0]?.id ?? '',
    people: people.slice(w * perBoard, (w + 1) * perBoard),
  }));
}
