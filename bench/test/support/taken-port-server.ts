/**
 * A stand-in app whose port another process took first: it says so, as
 * the apps do, and exits before it listens.
 */
console.error(`taken-port-server: could not start: port ${process.env.PORT} is in use`);
process.exit(1);
