import type { Initiative, InitiativeActor } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { wouldPass } from './would-pass.js';

const person = (participantId: string, role: InitiativeActor['role'] = 'participant'): InitiativeActor => ({
  participantId,
  role,
  name: participantId,
  site: 'Alsóváros',
  enteredBy: null,
});

const initiative: Initiative = {
  id: 'kozlekedes',
  name: 'Közlekedés',
  type: 'advocacy',
  goal: '',
  changes: [],
  buildsOn: [],
  proposedBy: 'mari',
  createdAt: 1,
  contactId: null,
  nextMeeting: null,
  members: [{ participantId: 'mari', name: 'Mari', site: 'Alsóváros', joinedAt: 1, enteredBy: null }],
  tasks: [
    {
      id: 'menetrend',
      text: 'Menetrend',
      ownerId: null,
      ownerEnteredBy: null,
      offeredTo: null,
      due: null,
      done: false,
      createdBy: 'mari',
      createdAt: 1,
    },
  ],
};

describe('wouldPass: a button is shown where the rules would take its press', () => {
  it('judges by the rules of initiatives.ts: a member takes a task, a visitor must join first, the moderator only helps', () => {
    const take = { op: 'task:take', initiativeId: initiative.id, taskId: 'menetrend' } as const;
    expect(wouldPass([initiative], person('mari'), take)).toBe(true);
    expect(wouldPass([initiative], person('teri'), take)).toBe(false);
    expect(wouldPass([initiative], person('teri'), { op: 'join', initiativeId: initiative.id })).toBe(true);
    expect(
      wouldPass([initiative], person('mod', 'moderator'), { op: 'join', initiativeId: initiative.id }),
    ).toBe(false);
    // The next meeting: its proposer and the moderator, not any member.
    const meeting = { op: 'edit', initiativeId: initiative.id, nextMeeting: null } as const;
    expect(wouldPass([initiative], person('mari'), meeting)).toBe(true);
    expect(wouldPass([initiative], person('mod', 'moderator'), meeting)).toBe(true);
    expect(wouldPass([initiative], person('teri'), meeting)).toBe(false);
  });

  it('changes nothing it was given: the scratch copy is its own', () => {
    const before = structuredClone(initiative);
    wouldPass([initiative], person('teri'), { op: 'join', initiativeId: initiative.id });
    wouldPass([initiative], person('mari'), { op: 'delete', initiativeId: initiative.id });
    expect(initiative).toEqual(before);
  });
});
