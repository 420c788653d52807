/**
 * Runs and jobs on dstack 0.22.5's HTTP wire: the run spec a client sends (kept verbatim, with the
 * server's defaults), the job specs dstack's job configurators would build from it, the response
 * records the client's pydantic models parse ({@code Run}, {@code Job}, {@code JobSubmission},
 * {@code RunPlan}, offers, {@code Fleet}, {@code Instance}), and the shim and runner requests made
 * from a job spec.
 *
 * <p>Depends on {@link ai.dstack.core.configurations}, {@link ai.dstack.core.profiles}, {@link
 * ai.dstack.core.resources}, {@link ai.dstack.core.runs} and the agents' DTOs ({@link
 * ai.dstack.core.agents.runner}, {@link ai.dstack.core.agents.shim}); within core, only the API's
 * request records ({@link ai.dstack.core.api}) depend on it.
 */
package ai.dstack.core.runs.wire;
