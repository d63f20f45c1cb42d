/** The typed contract shared by main, preload and renderer, and its wire helpers. */
export * from './api.js';
export * from './contract.js';
export * from './errors.js';
export * from './image-wire.js';
export * from './schemas.js';
export * from './types.js';
export { describeIssue, parseRequest } from './validate.js';
export {
  createHttpApi,
  type EventSocket,
  type HttpApi,
  type HttpApiOptions,
} from './http-client.js';
