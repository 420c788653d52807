/**
 * GPUs: {@code POST /api/project/{project}/gpus/list}, the offers a run spec gets (the same offers
 * {@code runs/get_plan} shows, from {@link ai.dstack.orchestrator.runs.RunPlacement}) grouped by
 * GPU, and by backend, region or count, as dstack 0.22.5 groups them for {@code dstack offer
 * --group-by}. Depends on {@code runs} (placement), {@code projects} (who may) and core.
 */
package ai.dstack.orchestrator.gpus;
