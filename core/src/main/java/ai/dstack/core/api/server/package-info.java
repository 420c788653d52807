/** {@code /api/server}: what the server says about itself. */
package ai.dstack.core.api.server;
