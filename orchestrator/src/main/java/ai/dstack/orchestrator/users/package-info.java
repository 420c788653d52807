/**
 * Users: {@code /api/users}, their storage, their SSH keys, and resolving a request's bearer token
 * to its {@link ai.dstack.orchestrator.auth.Caller}.
 */
package ai.dstack.orchestrator.users;
