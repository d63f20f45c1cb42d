/** The HTTP + WebSocket backend of `bracketeer serve`. */
export { isLoopback, startServer, type RunningServer, type ServerOptions } from './server.js';
export { contentSecurityPolicy } from './http-util.js';
