/**
 * Who is calling: bearer tokens (kept only as SHA-256 hashes), the caller they resolve to, dstack's
 * global and project roles, and the admin user created on first start.
 */
package ai.dstack.orchestrator.auth;
