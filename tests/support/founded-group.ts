/**
 * The founded group the outcome tests read back ("Esti kisbusz"), made through the control plane
 * as the phones and the moderator would: two residents on phones and one without a phone.
 */
import type { CardRef, Language } from '@kaptar/board';
import type { ControlClient } from './control-client.js';
import { createSession, joinSession, type Reachable } from './server.js';

/** Sends a command and returns its ack, or throws with the refusal. */
export async function okAck(client: ControlClient, event: string, payload: object) {
  const ack = await client.ask(event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack)}`);
  return ack;
}

/**
 * A session with Anna (Alsóváros) and Béla (Felsőszer) on phones and Cili (Alsóváros) added by the
 * moderator as a resident without a phone; `control` opens (and the caller closes) a client.
 */
export async function threeResidents(
  server: Reachable,
  control: (token: string) => Promise<ControlClient>,
  lang?: Language,
) {
  const session = await createSession(server, 'Alsóvárosi műhely', lang);
  const anna = await joinSession(server, session.joinCode, 'Kovács Anna', 'Alsóváros');
  const bela = await joinSession(server, session.joinCode, 'Szabó Béla', 'Felsőszer');
  const moderator = await control(session.moderatorToken);
  const annaPhone = await control(anna.participantToken);
  const belaPhone = await control(bela.participantToken);
  const added = await okAck(moderator, 'session:add-resident', { name: 'Nagy Cili', site: 'Alsóváros' });
  return { session, moderator, annaPhone, belaPhone, cili: String(added.participantId) };
}

/**
 * "Esti kisbusz", proposed by Anna: Béla joins and is its contact, the moderator joins Cili; a
 * meeting, and two tasks with dates: the letter taken for Cili, the timetable by Anna. Returns its
 * id and a way to send it more changes.
 */
export async function foundEveningBus(
  { moderator, annaPhone, belaPhone, cili }: Awaited<ReturnType<typeof threeResidents>>,
  { goal, changes = [], buildsOn = [] }: { goal: string; changes?: CardRef[]; buildsOn?: CardRef[] },
  initiativeId: string,
) {
  const change = (who: ControlClient, payload: object, onBehalfOf?: string) =>
    okAck(who, 'initiative', { change: { initiativeId, ...payload }, ...(onBehalfOf ? { onBehalfOf } : {}) });
  await change(annaPhone, { op: 'propose', name: 'Esti kisbusz', type: 'advocacy', goal, changes, buildsOn });
  await change(belaPhone, { op: 'join' });
  await change(moderator, { op: 'join' }, cili);
  await change(belaPhone, { op: 'contact', agree: true });
  await change(moderator, {
    op: 'edit',
    nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' },
  });
  await change(moderator, {
    op: 'task:add',
    taskId: 't1',
    text: 'Levél a polgármesternek',
    due: '2026-12-15',
  });
  await change(moderator, { op: 'task:add', taskId: 't2', text: 'Menetrend összeírása', due: '2026-12-20' });
  await change(moderator, { op: 'task:take', taskId: 't1' }, cili);
  await change(annaPhone, { op: 'task:take', taskId: 't2' });
  return change;
}
