export * from './declared-credentials.js';
export * from './endpoint.js';
export * from './ref-schema.js';
export * from './sign-in-preamble.js';
export * from './spec.js';
