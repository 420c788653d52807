/**
 * {@code /api/project/{p}/gpus/list}: the offers for a run spec grouped by GPU (or, with no GPU
 * allowed, by CPU), as {@code dstack offer --group-by} shows them.
 */
package ai.dstack.core.api.gpus;
