/**
 * Domain model shared by every module: the configuration language (.dstack.yml) and its parsing and
 * validation, resources, run/job specs, statuses, offers and the API and agent protocol DTOs.
 *
 * <p>Depends on nothing of ours; never on Spring or Temporal.
 */
package ai.dstack.core;
