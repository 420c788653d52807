/**
 * The Java SDK: a low-level client with one method per server endpoint and a high-level API for
 * programs.
 *
 * <p>Depends on core only; never on the orchestrator.
 */
package ai.dstack.sdk;
