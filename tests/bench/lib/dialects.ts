/**
 * The two wire dialects of Yjs sync the benchmark speaks. y-websocket sends one board per
 * socket, its messages as they are. Hocuspocus multiplexes boards on a socket: every message
 * starts with the document's name, and a board's first message must be an authentication
 * message (with no auth hook, any token passes). Inside, the sync and awareness messages are
 * y-websocket's, so the rest of the benchmark reads them the same way.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type Dialect = 'y-websocket' | 'hocuspocus';

export interface Framing {
  /** Sent first, when the socket opens. */
  hello: Uint8Array[];
  /** A y-websocket message as this dialect sends it. */
  wrap(message: Uint8Array): Uint8Array;
  /** The y-websocket message inside what arrived, or undefined if it is for another board. */
  unwrap(data: Uint8Array): Uint8Array | undefined;
}

const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;

const plain: Framing = { hello: [], wrap: (message) => message, unwrap: (data) => data };

function named(board: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, board);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function framingOf(dialect: Dialect, board: string): Framing {
  if (dialect === 'y-websocket') return plain;
  return {
    hello: [
      named(board, (e) => {
        encoding.writeVarUint(e, HOCUSPOCUS_AUTH);
        encoding.writeVarUint(e, HOCUSPOCUS_AUTH_TOKEN);
        encoding.writeVarString(e, '');
      }),
    ],
    wrap: (message) => named(board, (e) => encoding.writeUint8Array(e, message)),
    unwrap(data) {
      const decoder = decoding.createDecoder(data);
      if (decoding.readVarString(decoder) !== board) return undefined;
      return data.subarray(decoder.pos);
    },
  };
}
