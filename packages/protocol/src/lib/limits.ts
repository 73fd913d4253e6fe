/** Limits shared by forms (client) and validation (server). */
export const LIMITS = {
  sessionTitle: 120,
  displayName: 40,
  siteName: 60,
  boardTitle: 80,
  /** Settlements a moderator can list for one session. */
  sitesPerSession: 30,
  snapshotName: 100,
  /** Boards in one session, archived ones included. */
  boardsPerSession: 50,
  /**
   * People in one session (removed ones not counted): a day's workshop of several villages is a
   * few hundred at most, and every member gets the list of people.
   */
  participantsPerSession: 1000,
} as const;

/**
 * How many times its limit a text may be as sent: the limit counts characters after NFC (text.ts),
 * and a text typed decomposed (a letter, then its accents) is longer before.
 */
export const RAW_TEXT_FACTOR = 4;

/** Largest socket.io message the server reads: control messages are small JSON. */
export const MAX_CONTROL_MESSAGE_BYTES = 64 * 1024;

/** Six digits: easy to read aloud in a room and to type on a phone's number pad. */
export const JOIN_CODE_PATTERN = '^[0-9]{6}$';
export const JOIN_CODE_LENGTH = 6;
