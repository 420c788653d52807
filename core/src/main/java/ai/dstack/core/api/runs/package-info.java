/**
 * {@code /api/project/{p}/runs} and {@code /api/runs/list}: the request bodies dstack 0.22.5's
 * client sends. The answers are {@link ai.dstack.core.runs.wire.RunPlan} and {@link
 * ai.dstack.core.runs.wire.Run}; {@code stop} and {@code delete} answer {@code null}.
 */
package ai.dstack.core.api.runs;
