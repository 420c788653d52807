/**
 * The {@code local} fleet: this host, reached through a shim the server starts and supervises
 * ({@link ai.dstack.activities.local.LocalShim}), described as the fleet's single instance.
 */
package ai.dstack.activities.local;
