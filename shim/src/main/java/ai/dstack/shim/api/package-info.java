/**
 * The shim's HTTP API on the JDK's HttpServer with virtual threads: dstack's paths and JSON (the
 * records of {@code ai.dstack.core.agents.shim}); every error a JSON {@code ErrorResponse}.
 */
package ai.dstack.shim.api;
