export * from './lib/events.js';
export * from './lib/http.js';
export * from './lib/intents.js';
export * from './lib/limits.js';
export * from './lib/private.js';
export * from './lib/roles.js';
export * from './lib/rooms.js';
export * from './lib/text.js';
export { type Checked, check, isValid } from './lib/validate.js';
