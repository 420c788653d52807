/**
 * Tasks: the jobs the server submits, their life (pending, preparing, pulling, creating, running,
 * terminated) in {@link ai.dstack.shim.tasks.Tasks}, carried out by a {@link
 * ai.dstack.shim.tasks.TaskEngine}: Docker containers or, without Docker, plain processes.
 */
package ai.dstack.shim.tasks;
